/**
 * @module
 * `npm start`: the whole product on one machine. Starts (or reuses) the
 * Temporal dev server, the simulator and a worker as child processes, makes
 * sure the Schedule exists, runs a first cycle at once and prints it, then
 * prints each scheduled cycle until stopped, when it stops everything it
 * started, in reverse order.
 */
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { printReport, startCycle, waitForCycle } from '../client/commands.js';
import { clientContext } from '../client/context.js';
import { cycleLine } from '../client/render.js';
import { ensureSchedule } from '../client/schedule.js';
import { type Config, cycleUrl, PROJECT_ROOT, redactUrl, redisTls } from '../config.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import { SCHEDULE_ID } from '../contract/ids.js';
import { redisAnswers } from '../storage/redis-connection.js';
import { temporalConnectionOptions } from '../temporal/connection-options.js';
import { workerNodeArgs } from '../worker/node-args.js';
import { spawnOwned, waitForLine, type OwnedProcess } from './child-process.js';
import { startDevServer } from './dev-server.js';

export interface LaunchOptions {
  /** Run one cycle, print its report and stop. */
  once: boolean;
  /** With once: only the report JSON on stdout. */
  json: boolean;
}

/** Told when the worker exits on its own (not stopped by the launcher). */
export type WorkerExitListener = (code: number | string, logFile: string) => void;

/** How often the running launcher looks for a newly saved report. */
const REPORT_POLL_MS = 5_000;

// The compiled code (`npm run build`, run before `npm start`), one node process each,
// so that stopping it stops all of it and no TypeScript loader weighs on the worker.
const compiled = (file: string) => path.join(PROJECT_ROOT, 'dist', file);

async function temporalAnswers(config: Config): Promise<boolean> {
  try {
    const connection = await Connection.connect({
      ...temporalConnectionOptions(config),
      connectTimeout: '1 second',
    });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

export class Launcher {
  /** What this process started or opened, closed in reverse order on the way out. */
  private readonly owned: OwnedProcess[] = [];
  private readonly closers: Array<() => Promise<unknown>> = [];
  private stopping = false;

  constructor(
    private readonly options: LaunchOptions,
    private readonly say: (line: string) => void,
  ) {}

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled(this.closers.map((close) => close()));
    // Worker first (it drains its tasks), then the simulator and the server it talks to.
    for (const p of [...this.owned].reverse()) await p.stop();
  }

  /** Runs until stopped (or, with `once`, until the first cycle is printed). Rejects with what went wrong. */
  async run(configured: Config, onWorkerExit: WorkerExitListener): Promise<void> {
    const dataDir = path.resolve(PROJECT_ROOT, configured.DATA_DIR);
    const logDir = path.join(dataDir, 'logs');
    const ctx = clientContext(configured, {
      out: (t) => console.log(t),
      interactive: !this.options.json && process.stdout.isTTY === true,
    });
    this.closers.push(() => ctx.close());
    await redisAnswers(configured.REDIS_URL, redisTls(configured)).catch(() => {
      throw new ConfigError(
        `Redis is not answering at ${redactUrl(configured.REDIS_URL)}: start one (redis-server --daemonize yes) or set REDIS_URL`,
      );
    });
    // Before anything starts: a database that does not answer or a failing migration says so here.
    const ledger = await ctx.ledger();

    await this.ensureTemporal(configured, dataDir, logDir);
    const config = await this.ensureExchange(configured, logDir);
    this.startWorker(config, logDir, onWorkerExit);
    if (!this.options.once) await this.startDashboard(config, logDir);

    const client = await ctx.temporal();
    if (!this.options.once)
      this.say(
        `schedule: ${SCHEDULE_ID} ${await ensureSchedule(client, config)} (${config.SCAN_CRON}, +${config.SCAN_OFFSET_SECONDS} s, overlap SKIP)`,
      );
    const runCtx = { ...ctx, config };
    const handle = await startCycle(runCtx, {
      timeframes: config.SCAN_TIMEFRAMES,
      candleLimit: config.SCAN_CANDLE_LIMIT,
      batchSize: config.SCAN_BATCH_SIZE,
    });
    this.say(`first cycle: ${handle.workflowId}\n  ${cycleUrl(config, handle.workflowId)}`);
    const report = await waitForCycle(runCtx, handle);
    printReport(runCtx, report, this.options.json);
    if (this.options.once) return;

    this.say(
      `\nrunning: the Schedule starts a cycle every time "${config.SCAN_CRON}" fires; Ctrl-C stops everything.`,
    );
    let latest = report.cycleId;
    while (!this.stopping) {
      await new Promise((r) => setTimeout(r, REPORT_POLL_MS));
      const saved = await ledger.latestReport().catch(() => undefined);
      if (!saved || saved.cycleId === latest) continue;
      latest = saved.cycleId;
      console.log(cycleLine(saved));
    }
  }

  private async ensureTemporal(config: Config, dataDir: string, logDir: string): Promise<void> {
    if (await temporalAnswers(config)) {
      this.say(`temporal: reusing the server at ${config.TEMPORAL_ADDRESS}`);
      return;
    }
    this.say(
      `temporal: starting the dev server on ${config.TEMPORAL_ADDRESS} (data in ${path.relative(PROJECT_ROOT, dataDir)}/temporal.db, UI on :${config.TEMPORAL_UI_PORT})`,
    );
    this.owned.push(
      await startDevServer({
        address: config.TEMPORAL_ADDRESS,
        namespace: config.TEMPORAL_NAMESPACE,
        uiPort: config.TEMPORAL_UI_PORT,
        dataDir,
        logDir,
      }),
    );
  }

  /** The configuration with the exchange to use: the one configured, or a simulator started now. */
  private async ensureExchange(config: Config, logDir: string): Promise<Config> {
    if (config.EXCHANGE !== 'simulator' || config.EXCHANGE_URL) {
      this.say(`exchange: ${config.EXCHANGE}${config.EXCHANGE_URL ? ` at ${config.EXCHANGE_URL}` : ''}`);
      return config;
    }
    const sim = spawnOwned(
      'simulator',
      process.execPath,
      [
        compiled('sim.js'),
        '--port',
        '0',
        // It computes first what the scanner will ask for first.
        '--prewarm-intervals',
        config.SCAN_TIMEFRAMES.join(','),
        '--prewarm-limit',
        String(config.SCAN_CANDLE_LIMIT),
      ],
      { logDir, cwd: PROJECT_ROOT },
    );
    this.owned.push(sim);
    const url = await waitForLine(sim, /^http:\/\//, 30_000);
    const status = (await fetch(`${url}/admin/status`).then((r) => r.json())) as {
      symbols: number;
      latencyMs: number;
    };
    this.say(`simulator: ${url} (${status.symbols} symbols, ${status.latencyMs} ms latency)`);
    return { ...config, EXCHANGE_URL: url };
  }

  /** The dashboard, as its own process; one that cannot start (its port taken) is said, and the rest runs on. */
  private async startDashboard(config: Config, logDir: string): Promise<void> {
    const dashboard = spawnOwned('dashboard', process.execPath, [compiled('dashboard.js')], {
      logDir,
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...this.childEnv(config), LOG_FORMAT: 'json' },
    });
    this.owned.push(dashboard);
    try {
      const line = await waitForLine(dashboard, /"msg":"dashboard served"/, 30_000, 'stderr');
      const { url } = JSON.parse(line) as { url: string };
      this.say(`dashboard: ${url}${config.DASHBOARD_TOKEN ? '?token=… (DASHBOARD_TOKEN)' : ''}`);
    } catch (error) {
      this.say(`dashboard: not started: ${errorMessage(error)}`);
    }
  }

  /** What the launcher's children must agree on, whatever the environment said. */
  private childEnv(config: Config): NodeJS.ProcessEnv {
    return {
      TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE,
      TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
      REDIS_URL: config.REDIS_URL,
      EXCHANGE: config.EXCHANGE,
      EXCHANGE_URL: config.EXCHANGE_URL ?? '',
    };
  }

  private startWorker(config: Config, logDir: string, onWorkerExit: WorkerExitListener): void {
    const worker = spawnOwned(
      'worker',
      process.execPath,
      [...workerNodeArgs(config.WORKER_HEAP_MB), compiled('worker.js')],
      {
        logDir,
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...this.childEnv(config) },
      },
    );
    this.owned.push(worker);
    void worker.exited.then((code) => {
      if (!this.stopping) onWorkerExit(code, worker.logFile);
    });
    this.say(
      `worker: task queue ${config.TEMPORAL_TASK_QUEUE} (logs in ${path.relative(PROJECT_ROOT, logDir)}/)`,
    );
  }
}
