import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../helpers/run-node.js';
import { openLedger } from '../../src/storage/ledger/open-ledger.js';

/** One process recording `cycles` cycles into the file from `startAt`: how many it recorded. */
async function writer(file: string, name: string, cycles: number, startAt: number): Promise<number> {
  const run = await runScript(
    'test/storage/ledger-writer-process.ts',
    [file, name, String(cycles), String(startAt)],
    {},
  );
  expect(run.code, run.stderr).toBe(0);
  return Number(run.stdout);
}

describe('one SQLite ledger file, several processes', () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ledger-processes-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('three processes opening (migrating) and recording at once queue on the file: none fails, identity holds', async () => {
    const file = path.join(folder, 'ledger.sqlite');
    const startAt = Date.now() + 4_000; // after every tsx has started
    const recorded = await Promise.all(['a', 'b', 'c'].map((name) => writer(file, name, 30, startAt)));
    expect(recorded).toEqual([30, 30, 30]);
    const ledger = await openLedger({ sqliteFile: file });
    expect(await ledger.recentCycles(1_000)).toHaveLength(90);
    const open = await ledger.openSignals();
    expect(new Set(open.map((s) => `${s.symbol} ${s.direction}`)).size).toBe(open.length);
    await ledger.close();
  }, 60_000);
});
