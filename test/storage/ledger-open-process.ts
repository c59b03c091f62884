/**
 * A process that opens new SQLite ledger files at agreed moments, for the
 * test of processes opening one new file together:
 * `tsx ledger-open-process.ts <folder> <files> <start at, ms> <every, ms>`.
 * Prints one line per file: "ok" or the error's one line.
 */
import path from 'node:path';
import { connectLedger } from '../../src/storage/ledger/database.js';

const [folder, files, startAt, every] = process.argv.slice(2).map(String) as [string, string, string, string];
for (let i = 0; i < Number(files); i++) {
  const at = Number(startAt) + i * Number(every);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
  try {
    const { db } = await connectLedger({ sqliteFile: path.join(folder, `ledger-${i}.sqlite`) });
    await db.destroy();
    process.stdout.write('ok\n');
  } catch (error) {
    process.stdout.write(`${String(error)}\n`);
  }
}
