import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../helpers/run-node.js';

const run = (script: string, args: string[], env: Record<string, string>) =>
  runScript(script, args, { EXCHANGE_URL: 'http://127.0.0.1:9', ...env });

/** Bad configuration stops the worker and `npm start` at once: one line, exit 1, nothing started or written. */
describe('bad input to the worker and npm start', () => {
  it.each([
    [{ TEMPORAL_ADDRESS: '127.0.0.1:1' }, 'worker: cannot reach Temporal at 127.0.0.1:1: Connection refused'],
    [{ TEMPORAL_ADDRESS: 'no port' }, 'worker: TEMPORAL_ADDRESS: must be host:port'],
    [
      { REDIS_URL: 'http://cache:6379' },
      'worker: REDIS_URL: must be a redis:// or rediss:// URL with a host',
    ],
    [{ SCAN_BATCH_SIZE: 'abc' }, 'worker: SCAN_BATCH_SIZE: must be a whole number from 1 to 1000, got "abc"'],
    [
      { SCAN_BATCH_SIZE: '100000' },
      'worker: SCAN_BATCH_SIZE: must be a whole number from 1 to 1000, got "100000"',
    ],
    [{ SCAN_TIMEFRAMES: '1h,7m' }, /^worker: SCAN_TIMEFRAMES: .*7m/],
    [{ SCAN_RULES: '{"minScore":"high"}' }, /^worker: SCAN_RULES: .*minScore/],
    [{ STREAMS: 'maybe' }, /^worker: STREAMS: /],
    [
      { TEMPORAL_TLS_KEY: '/nonexistent/client.key' },
      'worker: TEMPORAL_TLS_KEY: no readable file at that path',
    ],
    [{ EXCHANGE: 'kraken' }, /^worker: EXCHANGE: /],
    [
      { DATABASE_URL: 'mysql://db/scanner' },
      'worker: DATABASE_URL: must be a postgres:// or postgresql:// URL with a host',
    ],
    [
      {
        ALERTS:
          '{"destinations":[{"name":"desk","type":"telegram","botToken":"123:literal-token","chatId":1}]}',
      },
      /^worker: ALERTS: destinations\[0\] \(desk\): botToken: a secret must name an environment variable/,
    ],
    [
      { ALERTS: '{"destinations":[{"name":"desk","type":"slack","webhookUrl":"${NOT_SET_ANYWHERE}"}]}' },
      'worker: ALERTS: destinations[0] (desk): webhookUrl: NOT_SET_ANYWHERE is not set',
    ],
    [
      { SIGNAL_EXPIRY_CANDLES: '98' },
      /^worker: SIGNAL_EXPIRY_CANDLES: 98 must be below SCAN_CANDLE_LIMIT − 1 \(98\)/,
    ],
  ])('worker with %j', async (env, message) => {
    const result = await run('src/worker.ts', [], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    if (typeof message === 'string') expect(lines[0]).toBe(message);
    else expect(lines[0]).toMatch(message);
  });

  it.each([
    [{ SCAN_CRON: '61 * * * *' }, /^start: SCAN_CRON: "61 \* \* \* \*": /],
    [{ SCAN_CRON: 'every five minutes' }, /^start: SCAN_CRON: .*5 fields/],
    [{ TEMPORAL_UI_PORT: '70000' }, /^start: TEMPORAL_UI_PORT: /],
    [
      { DATABASE_URL: 'postgres://' },
      /^start: DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL with a host$/,
    ],
  ])('npm start with %j writes nothing and starts nothing', async (env, message) => {
    const dataDir = path.join(tmpdir(), `scanner-bad-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    const result = await run('src/start.ts', ['--once'], { ...env, DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
    expect(existsSync(dataDir)).toBe(false);
  });
});
