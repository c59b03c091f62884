/**
 * A process that records cycles into one ledger, for the test of two
 * processes sharing an SQLite file: `tsx ledger-writer-process.ts <file> <name> <cycles> <start at, ms>`.
 * Prints the number of cycles it recorded.
 */
import { openLedger } from '../../src/storage/ledger/open-ledger.js';
import { report, signal, STEP, T0, target } from './ledger-fixtures.js';

const [file, name, count, startAt] = process.argv.slice(2) as [string, string, string, string];
// Every writer opens at the same moment, so their migrations race too.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const ledger = await openLedger({ sqliteFile: file });
let recorded = 0;
for (let i = 0; i < Number(count); i++) {
  const open = await ledger.openSignals();
  const signals = Array.from({ length: 30 }, (_, k) => signal(`S${(k * 3 + i) % 50}/USDT:USDT`));
  const outcomes = open.slice(0, 3).map((s) => ({ signalId: s.id, outcome: target(T0 + i * STEP) }));
  const result = await ledger.recordCycle({
    report: report(`${name}-${i}`, T0 + i * STEP, signals),
    outcomes,
    now: T0,
  });
  if (result.recorded) recorded++;
}
await ledger.close();
process.stdout.write(String(recorded));
