// The processes a benchmark run owns: one Temporal dev server, simulators and
// worker processes (the compiled worker, launched as `npm start` launches it).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createClient } from '@redis/client';
import { exchangeIdOf } from '../src/storage/redis-keys.js';
import { candleKeyPrefix, weightKeyPrefix } from '../src/storage/redis-keys.js';
import { PROJECT_ROOT } from '../src/config.js';
import { spawnOwned, waitForLine, type OwnedProcess } from '../src/launcher/child-process.js';
import { startDevServer } from '../src/launcher/dev-server.js';
import { workerNodeArgs } from '../src/worker/node-args.js';
import { scanMarketWorkflow } from '../src/workflows/index.js';
import type { CycleReport } from '../src/contract/types.js';

export const BENCH_DIR = mkdtempSync(path.join(tmpdir(), 'scanner-bench-'));
const logDir = path.join(BENCH_DIR, 'logs');
const dist = (file: string) => path.join(PROJECT_ROOT, 'dist', file);
let names = 0;

export interface BenchSimulator {
  url: string;
  exchangeId: string;
  process: OwnedProcess;
  /** Cumulative HTTP answers by status code. */
  statusCounts(): Promise<Record<string, number>>;
  /** A fresh minute of weight (between repetitions that each start cold). */
  resetLimits(): Promise<void>;
}

export async function startSimulator(args: string[]): Promise<BenchSimulator> {
  const process = spawnOwned(
    `simulator-${++names}`,
    globalThis.process.execPath,
    [dist('sim.js'), '--port', '0', ...args],
    {
      logDir,
    },
  );
  const url = await waitForLine(process, /^http:\/\//, 60_000);
  const admin = async (method: string, route: string) => {
    const response = await fetch(`${url}${route}`, { method });
    if (!response.ok) throw new Error(`simulator ${route}: HTTP ${response.status}`);
    return (await response.json()) as { stats: { byStatus: Record<string, number> } };
  };
  return {
    url,
    exchangeId: exchangeIdOf({ EXCHANGE: 'simulator', EXCHANGE_URL: url }),
    process,
    statusCounts: async () => (await admin('GET', '/admin/status')).stats.byStatus,
    resetLimits: async () => void (await admin('POST', '/admin/reset-limits')),
  };
}

export interface BenchTemporal {
  address: string;
  client: Client;
  process: OwnedProcess;
}

export async function startTemporal(port: number): Promise<BenchTemporal> {
  const address = `127.0.0.1:${port}`;
  const process = await startDevServer({
    address,
    namespace: 'default',
    uiPort: port + 1000,
    dataDir: BENCH_DIR,
    logDir,
  });
  const client = new Client({ connection: await Connection.connect({ address }) });
  return { address, client, process };
}

/** A worker process; it is ready once it logged "worker started" (after prewarm and streams). */
export async function startWorker(env: Record<string, string>, heapMb = 192): Promise<OwnedProcess> {
  const worker = spawnOwned(
    `worker-${++names}`,
    process.execPath,
    [...workerNodeArgs(heapMb), dist('worker.js')],
    {
      logDir,
      // The ledger's SQLite file in the bench's folder (a row may give DATABASE_URL instead).
      env: { ...process.env, LOG_LEVEL: 'info', DATA_DIR: BENCH_DIR, ...env },
    },
  );
  await waitForLine(worker, /"msg":"worker started"/, 120_000, 'stderr');
  return worker;
}

/** One cycle through Temporal, timed from the client's start of the workflow to its result. */
export async function runCycle(
  temporal: BenchTemporal,
  taskQueue: string,
): Promise<{ wallMs: number; report: CycleReport }> {
  const started = performance.now();
  const report = await temporal.client.workflow.execute(scanMarketWorkflow, {
    taskQueue,
    workflowId: `bench-${Date.now()}-${++names}`,
    args: [{}],
  });
  return { wallMs: performance.now() - started, report };
}

/** Forgets everything Redis holds for an exchange: its candles and its weight budget. */
export async function forgetExchange(redisUrl: string, exchangeId: string): Promise<void> {
  const redis = await createClient({ url: redisUrl }).connect();
  try {
    for (const prefix of [candleKeyPrefix(exchangeId), weightKeyPrefix(exchangeId)]) {
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1_000 })) {
        if (keys.length > 0) await redis.del(keys);
      }
    }
  } finally {
    redis.destroy();
  }
}
