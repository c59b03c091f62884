// `npm run client -- <command>`: ad-hoc scans, Schedule control, status and reports.
import { Command, InvalidArgumentError } from 'commander';
import { ScheduleNotFoundError } from '@temporalio/client';
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
import { connectClient } from './client/temporal-connection.js';
import { loadConfig, type Config } from './config.js';
import { ConfigError, errorMessage } from './errors.js';
import { ReportStore } from './reports/report-store.js';
import { parseTimeframes } from './scan/timeframes.js';
import type { Timeframe } from './scan/types.js';
import type { Client } from '@temporalio/client';

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max)
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

function timeframes(value: string) {
  try {
    return parseTimeframes(value);
  } catch (error) {
    throw new InvalidArgumentError(errorMessage(error));
  }
}

const symbolList = (value: string) => {
  const symbols = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (symbols.length === 0) throw new InvalidArgumentError('give at least one symbol');
  return symbols;
};

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
        store = new ReportStore(config.REDIS_URL, config.REPORTS_KEEP);
        closers.push(() => store!.close());
        await store.recent(1); // connects, or says Redis is unreachable
      }
      return store;
    },
  };
}

const program = new Command('client')
  .description('Market scanner client: ad-hoc scans, the Schedule, cycle status and reports')
  .showHelpAfterError(false)
  .configureOutput({
    outputError: (text, write) => write(`client: ${text.replace(/^error: /, '').split('\n')[0]}\n`),
  })
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program
  .command('scan')
  .description('run a cycle now: waits and prints the ranked signals')
  .option('--symbols <list>', 'comma-separated symbols (default: the whole universe)', symbolList)
  .option('--timeframes <list>', 'trend, momentum, trigger timeframes', timeframes)
  .option('--limit <n>', 'candles per series', integer(60, 1500))
  .option('--batch-size <n>', 'symbols per batch workflow', integer(1, 1000))
  .option('--json', 'print only the report JSON')
  .option('--detach', 'print only the cycle id and return at once')
  .action(
    async (opts: {
      symbols?: string[];
      timeframes?: string[];
      limit?: number;
      batchSize?: number;
      json?: boolean;
      detach?: boolean;
    }) => {
      const ctx = context(Boolean(opts.json));
      const handle = await startCycle(ctx, {
        symbols: opts.symbols,
        timeframes: (opts.timeframes as never) ?? ctx.config.SCAN_TIMEFRAMES,
        candleLimit: opts.limit ?? ctx.config.SCAN_CANDLE_LIMIT,
        batchSize: opts.batchSize ?? ctx.config.SCAN_BATCH_SIZE,
      });
      if (opts.detach) return ctx.out(handle.workflowId);
      if (!opts.json) ctx.out(`cycle ${handle.workflowId}: ${webUiLink(ctx.config, handle.workflowId)}`);
      printReport(ctx, await waitForCycle(ctx, handle), Boolean(opts.json));
    },
  );

program
  .command('schedule')
  .description('the market-scan Schedule')
  .argument('<action>', 'create | describe | pause | unpause | trigger | delete')
  .action(async (action: string) => {
    if (!['create', 'describe', 'pause', 'unpause', 'trigger', 'delete'].includes(action)) {
      throw new ConfigError(
        `unknown schedule action "${action}": use create, describe, pause, unpause, trigger or delete`,
      );
    }
    await scheduleCommand(context(false), action);
  });

program
  .command('status')
  .description('progress of a running cycle, or its summary when done')
  .argument('<cycleId>')
  .option('--wait', 'block until the cycle is done')
  .action(async (cycleId: string, opts: { wait?: boolean }) => {
    await cycleStatus(context(false), cycleId, Boolean(opts.wait));
  });

program
  .command('cycles')
  .description('recent cycles from Temporal visibility')
  .option('--limit <n>', 'how many', integer(1, 1000), 20)
  .action(async (opts: { limit: number }) => {
    await listCycles(context(false), opts.limit);
  });

program
  .command('report')
  .description('a saved cycle report')
  .argument('<cycle>', 'a cycle id, or "latest"')
  .option('--json', 'print the report JSON')
  .action(async (which: string, opts: { json?: boolean }) => {
    await showReport(context(Boolean(opts.json)), which, Boolean(opts.json));
  });

program
  .command('indicators')
  .description('the candles of one series and every indicator the analysis computes from them')
  .requiredOption('--symbol <symbol>', 'BTC/USDT:USDT or BTCUSDT')
  .requiredOption('--timeframe <tf>', 'one timeframe, e.g. 1h', (value: string) => {
    const parsed = timeframes(value);
    if (parsed.length !== 1) throw new InvalidArgumentError('give exactly one timeframe');
    return parsed[0]!;
  })
  .option('--json', 'one JSON object: {symbol, timeframe, candles, indicators}')
  .action(async (opts: { symbol: string; timeframe: Timeframe; json?: boolean }) => {
    // This command reads candles as the worker does: it needs the exchange's settings too.
    const config = loadConfig(process.env);
    const dump = await inspectIndicators(config, opts.symbol, opts.timeframe);
    if (opts.json) {
      const { symbol, timeframe, candles, indicators } = dump;
      console.log(JSON.stringify({ symbol, timeframe, candles, indicators }));
    } else console.log(renderIndicators(dump));
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
