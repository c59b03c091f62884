// `npm run client -- <command>`: ad-hoc scans, Schedule control, status and reports.
import { type Client, ScheduleNotFoundError } from '@temporalio/client';
import {
  cycleStatus,
  listCycles,
  printReport,
  scheduleCommand,
  showReport,
  startCycle,
  waitForCycle,
  webUiLink,
  type ClientContext,
} from './client/commands.js';
import { inspectIndicators, renderIndicators } from './client/indicators.js';
import { checkSymbolsListed } from './client/known-symbols.js';
import { buildClientProgram } from './client/program.js';
import { connectClient } from './client/temporal-connection.js';
import { loadConfig, type Config } from './config.js';
import { ConfigError, errorMessage } from './errors.js';
import { redisTls } from './cache/redis-connection.js';
import { ReportStore } from './reports/report-store.js';

const closers: Array<() => Promise<unknown>> = [];

function context(json: boolean): ClientContext {
  // The client talks to Temporal and Redis only, never to the exchange.
  const config: Config = loadConfig(process.env, {}, { requireExchangeUrl: false });
  let client: Promise<Client> | undefined;
  let store: ReportStore | undefined;
  return {
    temporal: () => {
      client ??= connectClient(config).then((c) => {
        closers.push(() => c.connection.close());
        return c;
      });
      return client;
    },
    config,
    out: (text) => console.log(text),
    interactive: !json && process.stdout.isTTY === true,
    reports: async () => {
      if (!store) {
        store = new ReportStore(config.REDIS_URL, config.REPORTS_KEEP, redisTls(config));
        closers.push(() => store!.close());
        await store.recent(1); // connects, or says Redis is unreachable
      }
      return store;
    },
  };
}

const program = buildClientProgram({
  async scan(opts) {
    const ctx = context(Boolean(opts.json));
    if (opts.symbols) await checkSymbolsListed(ctx.config, opts.symbols);
    const handle = await startCycle(ctx, {
      symbols: opts.symbols,
      timeframes: opts.timeframes ?? ctx.config.SCAN_TIMEFRAMES,
      candleLimit: opts.limit ?? ctx.config.SCAN_CANDLE_LIMIT,
      batchSize: opts.batchSize ?? ctx.config.SCAN_BATCH_SIZE,
    });
    if (opts.detach) return ctx.out(handle.workflowId);
    if (!opts.json) ctx.out(`cycle ${handle.workflowId}: ${webUiLink(ctx.config, handle.workflowId)}`);
    printReport(ctx, await waitForCycle(ctx, handle), Boolean(opts.json));
  },
  async schedule(action) {
    if (!['create', 'describe', 'pause', 'unpause', 'trigger', 'delete'].includes(action)) {
      throw new ConfigError(
        `unknown schedule action "${action}": use create, describe, pause, unpause, trigger or delete`,
      );
    }
    await scheduleCommand(context(false), action);
  },
  status: (cycleId, opts) => cycleStatus(context(false), cycleId, Boolean(opts.wait)),
  cycles: (opts) => listCycles(context(false), opts.limit),
  report: (which, opts) => showReport(context(Boolean(opts.json)), which, Boolean(opts.json)),
  async indicators(opts) {
    // This command reads candles as the worker does: it needs the exchange's settings too.
    const config = loadConfig(process.env);
    const dump = await inspectIndicators(config, opts.symbol, opts.timeframe);
    if (opts.json) {
      const { symbol, timeframe, candles, indicators } = dump;
      console.log(JSON.stringify({ symbol, timeframe, candles, indicators }));
    } else console.log(renderIndicators(dump));
  },
});

async function main(): Promise<void> {
  try {
    await program.parseAsync();
  } catch (error) {
    const message =
      error instanceof ScheduleNotFoundError
        ? 'the market-scan Schedule does not exist (client schedule create)'
        : errorMessage(error);
    console.error(`client: ${message.split('\n')[0]}`);
    process.exitCode = 1;
  } finally {
    await Promise.allSettled(closers.map((close) => close()));
  }
}

void main();
