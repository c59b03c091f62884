// `npm start`: the whole product on one machine. Starts (or reuses) the
// Temporal dev server, the simulator and a worker, makes sure the Schedule
// exists, runs a first cycle at once and prints it, then keeps the Schedule
// running until Ctrl-C, when it stops everything it started.
import path from 'node:path';
import { Command } from 'commander';
import { Connection } from '@temporalio/client';
import { printReport, startCycle, waitForCycle, webUiLink, type ClientContext } from './client/commands.js';
import { ensureSchedule } from './client/schedule.js';
import { connectClient } from './client/temporal-connection.js';
import { type Config, loadConfig, redactUrl } from './config.js';
import { redisTls } from './cache/redis-connection.js';
import { temporalConnectionOptions } from './temporal/connection-options.js';
import { ConfigError, errorMessage } from './errors.js';
import { PROJECT_ROOT } from './project-root.js';
import { ReportStore } from './reports/report-store.js';
import { spawnOwned, waitForLine, type OwnedProcess } from './runtime/child-process.js';
import { startDevServer } from './runtime/dev-server.js';
import { workerNodeArgs } from './runtime/worker-node-args.js';
import { SCHEDULE_ID } from './scan/task-queue.js';

// The compiled code (`npm run build`, run before `npm start`), one node process each,
// so that stopping it stops all of it and no TypeScript loader weighs on the worker.
const compiled = (file: string) => path.join(PROJECT_ROOT, 'dist', file);

const program = new Command('start')
  .description('run the market scanner on this machine')
  .option('--once', 'run one cycle, print its report and exit')
  .option('--json', 'with --once: print only the report JSON')
  .showHelpAfterError(false)
  .configureOutput({
    outputError: (text, write) => write(`start: ${text.replace(/^error: /, '').split('\n')[0]}\n`),
  })
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
program.parse();
const flags = program.opts<{ once?: boolean; json?: boolean }>();
if (flags.json && !flags.once) {
  console.error('start: --json goes with --once');
  process.exit(2);
}

/** What this process started or opened, closed in reverse order on the way out. */
const owned: OwnedProcess[] = [];
const closers: Array<() => Promise<unknown>> = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  stopping = true;
  await Promise.allSettled(closers.map((close) => close()));
  // Worker first (it drains its tasks), then the simulator and the server it talks to.
  for (const p of [...owned].reverse()) await p.stop();
  process.exit(code);
}
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
const say = (line: string) => {
  if (!flags.json) console.error(line);
};

async function reachable(config: Config): Promise<boolean> {
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

async function main(): Promise<void> {
  const config = loadConfig(process.env, {}, { requireExchangeUrl: false });
  const uiPort = config.TEMPORAL_UI_PORT;
  const dataDir = path.resolve(PROJECT_ROOT, config.DATA_DIR);
  const logDir = path.join(dataDir, 'logs');

  const reports = new ReportStore(config.REDIS_URL, config.REPORTS_KEEP, redisTls(config));
  closers.push(() => reports.close());
  try {
    await reports.recent(1);
  } catch {
    throw new ConfigError(
      `Redis is not answering at ${redactUrl(config.REDIS_URL)}: start one (redis-server --daemonize yes) or set REDIS_URL`,
    );
  }

  if (await reachable(config)) {
    say(`temporal: reusing the server at ${config.TEMPORAL_ADDRESS}`);
  } else {
    say(
      `temporal: starting the dev server on ${config.TEMPORAL_ADDRESS} (data in ${path.relative(PROJECT_ROOT, dataDir)}/temporal.db, UI on :${uiPort})`,
    );
    owned.push(
      await startDevServer({
        address: config.TEMPORAL_ADDRESS,
        namespace: config.TEMPORAL_NAMESPACE,
        uiPort,
        dataDir,
        logDir,
      }),
    );
  }

  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE,
    TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
    REDIS_URL: config.REDIS_URL,
  };
  if (config.EXCHANGE === 'simulator' && !config.EXCHANGE_URL) {
    const sim = spawnOwned('simulator', process.execPath, [compiled('simulator/main.js'), '--port', '0'], {
      logDir,
      cwd: PROJECT_ROOT,
    });
    owned.push(sim);
    config.EXCHANGE_URL = await waitForLine(sim, /^http:\/\//, 30_000);
    say(`simulator: ${config.EXCHANGE_URL} (530 symbols, 100 ms latency)`);
  } else {
    say(`exchange: ${config.EXCHANGE}${config.EXCHANGE_URL ? ` at ${config.EXCHANGE_URL}` : ''}`);
  }

  const worker = spawnOwned(
    'worker',
    process.execPath,
    [...workerNodeArgs(config.WORKER_HEAP_MB), compiled('worker.js')],
    {
      logDir,
      cwd: PROJECT_ROOT,
      env: { ...env, EXCHANGE: config.EXCHANGE, EXCHANGE_URL: config.EXCHANGE_URL ?? '' },
    },
  );
  owned.push(worker);
  void worker.exited.then((code) => {
    if (!stopping) {
      console.error(`start: the worker exited (${code}); see ${worker.logFile}`);
      void shutdown(1);
    }
  });
  say(`worker: task queue ${config.TEMPORAL_TASK_QUEUE} (logs in ${path.relative(PROJECT_ROOT, logDir)}/)`);

  const client = await connectClient(config);
  closers.push(() => client.connection.close());
  const ctx: ClientContext = {
    temporal: () => Promise.resolve(client),
    config,
    reports: () => Promise.resolve(reports),
    out: (t) => console.log(t),
    interactive: !flags.json && process.stdout.isTTY === true,
  };
  if (!flags.once)
    say(
      `schedule: ${SCHEDULE_ID} ${await ensureSchedule(client, config)} (${config.SCAN_CRON}, +${config.SCAN_OFFSET_SECONDS} s, overlap SKIP)`,
    );

  const handle = await startCycle(ctx, {
    timeframes: config.SCAN_TIMEFRAMES,
    candleLimit: config.SCAN_CANDLE_LIMIT,
    batchSize: config.SCAN_BATCH_SIZE,
  });
  say(
    `first cycle: ${handle.workflowId}\n  ${webUiLink(config, handle.workflowId, `http://localhost:${uiPort}`)}`,
  );
  const report = await waitForCycle(ctx, handle);
  printReport(ctx, report, Boolean(flags.json));
  if (flags.once) return shutdown(0);

  say(
    `\nrunning: the Schedule starts a cycle every time "${config.SCAN_CRON}" fires; Ctrl-C stops everything.`,
  );
  let latest = report.cycleId;
  for (;;) {
    await new Promise((r) => setTimeout(r, 5_000));
    const [newest] = await reports.recent(1).catch(() => [latest]);
    if (newest && newest !== latest) {
      latest = newest;
      const r = await reports.get(newest);
      if (r)
        console.log(
          `${r.finishedAt} ${r.cycleId}: ${r.symbolsScanned} scanned, ${r.signals.length} signals (top: ${
            r.signals
              .slice(0, 3)
              .map((s) => `${s.symbol} ${s.direction} ${s.score}`)
              .join(', ') || '-'
          }), ${r.failures.length} failures, ${(r.durationMs / 1000).toFixed(1)} s`,
        );
    }
  }
}

main().catch((error: unknown) => {
  console.error(`start: ${errorMessage(error).split('\n')[0]}`);
  void shutdown(1);
});
