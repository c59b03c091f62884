import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/contract/types.js';
import { BATCH_SIZE } from '../../src/core/limits.js';
import { runCommand } from '../helpers/run-node.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const npmStart = (args: string[], env: NodeJS.ProcessEnv) =>
  runCommand('npm', ['run', '--silent', 'start', '--', ...args], env);

/** The main job, as a user starts it: its own dev server, simulator and worker, one full cycle, a clean exit. */
describe('npm start', () => {
  it('--once --json starts the embedded stack, prints a full cycle report, and stops everything', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'scanner-start-'));
    const run = await npmStart(['--once', '--json'], {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_UI_PORT: String(await freePort()),
      DATA_DIR: dataDir,
    });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as CycleReport;
    expect(report.symbolsScanned).toBe(530);
    expect(report.batches).toBe(Math.ceil(530 / BATCH_SIZE.default));
    expect(report.failures).toEqual([]);
    // The worker process (its heap capped, as npm start runs it) started its warm-up eagerly: under
    // the cap, the SDK's default workflow cache left every workflow task slot to the pollers.
    const warmUps = readFileSync(path.join(dataDir, 'logs', 'worker.log'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"msg":"workflow path warmed up"'))
      .map((line) => JSON.parse(line) as { eager: boolean });
    expect(warmUps.map((w) => w.eager)).toEqual([true]);
    // The dev server it started is gone.
    await expect(Connection.connect({ address, connectTimeout: '1 second' })).rejects.toThrow();
  }, 180_000);

  it('says how to get Redis when none answers, and exits 1', async () => {
    const run = await npmStart(['--once'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'start: Redis is not answering at redis://127.0.0.1:1: start one (redis-server --daemonize yes) or set REDIS_URL',
    );
  });
});
