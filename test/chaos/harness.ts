import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { expect } from 'vitest';
import { withLedger } from '../helpers/ledger.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { spawnOwned, waitForLine, type OwnedProcess } from '../../src/launcher/child-process.js';
import { startDevServer } from '../../src/launcher/dev-server.js';
import { freeLoopbackPort } from '../../src/worker/temporal-runtime.js';
import { adhocCycleOptions } from '../../src/client/commands.js';
import type { CycleReport, ScanInput } from '../../src/contract/types.js';
import { scanMarketWorkflow } from '../../src/workflows/index.js';
import { recordHistory } from '../helpers/histories.js';
import { freshTaskQueue } from '../helpers/temporal-env.js';

/**
 * Real processes a chaos test starts, kills and restarts: a Temporal dev
 * server on its own SQLite file, a Redis of its own (so restarting it
 * disturbs no other test), and worker processes as operators run them.
 */
export const CHAOS_LOGS = `${PROJECT_ROOT}/test-artifacts/chaos`;

export function chaosDir(name: string): string {
  mkdirSync(CHAOS_LOGS, { recursive: true });
  return mkdtempSync(path.join(tmpdir(), `chaos-${name}-`));
}

/** A redis-server on a free loopback port, without persistence (like the machine's). */
export class RedisProcess {
  private process!: OwnedProcess;
  private constructor(
    readonly port: number,
    private readonly password?: string,
  ) {}

  get url(): string {
    return `redis://${this.password ? `:${this.password}@` : ''}127.0.0.1:${this.port}`;
  }

  static async start(options: { password?: string } = {}): Promise<RedisProcess> {
    const redis = new RedisProcess(await freeLoopbackPort(), options.password);
    await redis.restart();
    return redis;
  }

  async restart(): Promise<void> {
    this.process = spawnOwned(
      `redis-${this.port}`,
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        ...(this.password ? ['--requirepass', this.password] : []),
      ],
      { logDir: CHAOS_LOGS },
    );
    await waitForLine(this.process, /Ready to accept connections/, 10_000);
  }

  /** SIGKILL: everything it held is gone. */
  async kill(): Promise<void> {
    this.process.child.kill('SIGKILL');
    await this.process.exited;
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}

/** The dev server from the provisioned CLI, persisting to a SQLite file a restart picks up again. */
export class TemporalProcess {
  private process!: OwnedProcess;
  client!: Client;
  private connection!: Connection;
  private constructor(
    readonly address: string,
    readonly uiPort: number,
    private readonly dataDir: string,
  ) {}

  static async start(dataDir: string): Promise<TemporalProcess> {
    const temporal = new TemporalProcess(
      `127.0.0.1:${await freeLoopbackPort()}`,
      await freeLoopbackPort(),
      dataDir,
    );
    await temporal.restart();
    temporal.connection = await Connection.connect({ address: temporal.address });
    temporal.client = new Client({ connection: temporal.connection });
    return temporal;
  }

  async restart(): Promise<void> {
    this.process = await startDevServer({
      address: this.address,
      namespace: 'default',
      uiPort: this.uiPort,
      dataDir: this.dataDir,
      logDir: CHAOS_LOGS,
    });
  }

  async kill(): Promise<void> {
    this.process.child.kill('SIGKILL');
    await this.process.exited;
  }

  async stop(): Promise<void> {
    await this.connection?.close();
    await this.process.stop();
  }
}

let workers = 0;

/** A worker process (`src/worker.ts`, as `npm run worker` runs it), ready once it logged "worker started". */
export async function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<OwnedProcess> {
  const worker = spawnOwned(
    `worker-${process.pid}-${++workers}`,
    process.execPath,
    ['--import', 'tsx', 'src/worker.ts'],
    {
      logDir: CHAOS_LOGS,
      cwd: PROJECT_ROOT,
      env: { ...process.env, METRICS_PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env },
    },
  );
  await waitForLine(worker, /"msg":"worker started"/, 120_000, 'stderr');
  return worker;
}

export async function sigkill(worker: OwnedProcess): Promise<void> {
  worker.child.kill('SIGKILL');
  await worker.exited;
}

export function newCycle(temporal: TemporalProcess, taskQueue: string, input: ScanInput = {}) {
  const cycleId = `scan-adhoc-${freshTaskQueue('chaos')}`;
  const started = Date.now();
  const handle = temporal.client.workflow.start(
    scanMarketWorkflow,
    adhocCycleOptions(taskQueue, cycleId, input),
  );
  return { cycleId, started, handle };
}

/** Resolves once `worker` has started fetching (it logs each fetchCandles attempt it takes). */
export async function whenFetching(worker: OwnedProcess): Promise<void> {
  await firstFetching([worker]);
}

/**
 * The first of `workers` to start fetching. Which worker takes a cycle's
 * fetches is Temporal's choice (any poller, or eager dispatch to the one
 * running the workflow), so a scenario that must land mid-fetch waits for
 * whichever fetches, not for a chosen one.
 */
export async function firstFetching(workers: readonly OwnedProcess[]): Promise<OwnedProcess> {
  for (;;) {
    const fetching = workers.find((w) => logLines(w, /^fetchCandles started$/).length > 0);
    if (fetching) return fetching;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The cycle's result, however long it takes and whatever happens to the
 * server meanwhile (a long poll broken by a server restart is simply made again).
 */
export async function resultOf(
  temporal: TemporalProcess,
  cycleId: string,
  timeoutMs = 600_000,
): Promise<CycleReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return (await temporal.client.workflow.getHandle(cycleId).result()) as CycleReport;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      const name = (error as Error).name;
      if (name === 'WorkflowFailedError') throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * What every scenario must end with: every symbol of the universe once,
 * scanned or failed with a reason, and the report saved exactly once.
 */
export async function expectCompleteReport(
  report: CycleReport,
  expected: { symbols: number; failures?: number },
): Promise<void> {
  expect(report.symbolsRequested).toBe(expected.symbols);
  expect(report.symbolsScanned + report.failures.length).toBe(expected.symbols);
  const failed = report.failures.map((f) => f.symbol);
  expect(new Set(failed).size, 'a symbol failed twice').toBe(failed.length);
  for (const failure of report.failures) expect(failure.reason, failure.symbol).toMatch(/\w{3,}/);
  const signalled = report.signals.map((s) => s.symbol);
  expect(new Set(signalled).size, 'a symbol signalled twice').toBe(signalled.length);
  for (const symbol of signalled) expect(failed).not.toContain(symbol);
  if (expected.failures !== undefined) expect(report.failures.length).toBe(expected.failures);

  // Recorded once in the ledger, as the workflow returned it.
  await withLedger(async (ledger) => {
    expect(await ledger.report(report.cycleId)).toEqual(report);
    const recent = await ledger.recentCycles(1_000);
    expect(recent.filter((c) => c.cycleId === report.cycleId)).toHaveLength(1);
  });
}

/** Lines of a worker's JSON log whose message matches. */
export function logLines(worker: OwnedProcess, message: RegExp): Array<Record<string, unknown>> {
  const text = readFileSync(worker.logFile, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => typeof entry.msg === 'string' && message.test(entry.msg));
}

/** Scenario timings, written for the closing note and the README. */
export function recordTiming(scenario: string, figures: Record<string, number | string>): void {
  const line = JSON.stringify({ scenario, ...figures });
  console.log(line);
  writeFileSync(`${CHAOS_LOGS}/timings.jsonl`, `${line}\n`, { flag: 'a' });
}

/** With RECORD_HISTORY=1, keeps these workflows' histories as replay fixtures (test/helpers/histories.ts). */
export async function recordHistories(
  temporal: TemporalProcess,
  workflows: Array<[id: string, name: string]>,
): Promise<void> {
  if (process.env.RECORD_HISTORY !== '1') return;
  for (const [id, name] of workflows)
    recordHistory(name, id, await temporal.client.workflow.getHandle(id).fetchHistory());
}
