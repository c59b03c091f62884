import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../helpers/run-node.js';

/** Runs the client from sources with an unreachable Temporal, Redis and ledger; returns what it printed and the modules it loaded. */
async function clientLoads(args: string[]): Promise<{ stderr: string; modules: string[] }> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'imports-')), 'modules.txt');
  const run = await runCommand(
    process.execPath,
    ['--import', 'tsx', '--import', './test/helpers/record-imports.mjs', 'src/client.ts', ...args],
    {
      RECORD_IMPORTS: file,
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      REDIS_URL: 'redis://127.0.0.1:1',
      DATABASE_URL: 'postgres://scanner@127.0.0.1:1/scanner',
      EXCHANGE_URL: 'http://127.0.0.1:1',
    },
  );
  expect(run.code, run.stderr).toBe(1);
  return { stderr: run.stderr, modules: readFileSync(file, 'utf8').split('\n').filter(Boolean) };
}

const ccxt = (modules: string[]) => modules.filter((url) => url.includes('/node_modules/ccxt/'));

describe('the client loads the exchange only for the commands that read it', () => {
  it.each([['cycles'], ['status', 'scan-adhoc-x'], ['report', 'latest'], ['signals'], ['performance']])(
    '%s starts without ccxt',
    async (...args) => {
      const { stderr, modules } = await clientLoads(args);
      expect(stderr).toMatch(/^client: /);
      expect(modules.some((url) => url.endsWith('/src/client/handlers.ts'))).toBe(true);
      expect(ccxt(modules)).toEqual([]);
    },
  );

  it('indicators loads it (it reads candles through the exchange stack)', async () => {
    const { modules } = await clientLoads(['indicators', '--symbol', 'BTCUSDT', '--timeframe', '1h']);
    expect(ccxt(modules).length).toBeGreaterThan(0);
  });
});
