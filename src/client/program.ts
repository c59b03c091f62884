/**
 * @module
 * The client's command line: parsing and validation only. Each command's
 * work is a handler (client/handlers.ts gives the real ones; the fuzz test
 * gives recording ones), so whatever reaches a handler has been validated
 * here. A bad argument writes one line and exits 2.
 */
import { Command, InvalidArgumentError } from 'commander';
import { errorMessage } from '../core/errors.js';
import { DURATION_HINT, parseDuration } from '../core/durations.js';
import { BATCH_SIZE, CANDLE_LIMIT, type IntegerRange } from '../core/limits.js';
import { parseTimeframes, type Timeframe } from '../core/timeframes.js';
import type { PerformanceGrouping } from '../analysis/performance.js';
import type { AlertsOptions } from './alert-commands.js';
import type { PerformanceOptions, SignalsOptions } from './ledger-commands.js';

export interface ScanOptions {
  symbols?: string[];
  timeframes?: Timeframe[];
  limit?: number;
  batchSize?: number;
  json?: boolean;
  detach?: boolean;
}

export interface ClientHandlers {
  scan(opts: ScanOptions): Promise<void>;
  schedule(action: string): Promise<void>;
  status(cycleId: string, opts: { wait?: boolean }): Promise<void>;
  cycles(opts: { limit: number }): Promise<void>;
  report(which: string, opts: { json?: boolean }): Promise<void>;
  indicators(opts: { symbol: string; timeframe: Timeframe; json?: boolean }): Promise<void>;
  signals(opts: SignalsOptions): Promise<void>;
  performance(opts: PerformanceOptions): Promise<void>;
  alerts(opts: AlertsOptions): Promise<void>;
  alertTest(destination: string): Promise<void>;
  alertRetry(ids: number[]): Promise<void>;
}

export interface ProgramOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
  exit(code: number): never;
}

const processOutput: ProgramOutput = {
  writeOut: (text) => process.stdout.write(text),
  writeErr: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
};

function integer({ min, max }: Pick<IntegerRange, 'min' | 'max'>) {
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

/** A window back from now: 90m, 12h, 7d, 2w. */
function duration(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError(`must be ${DURATION_HINT}`);
  return ms;
}

function alertId(value: string): number {
  if (!/^\d{1,15}$/.test(value) || Number(value) === 0)
    throw new InvalidArgumentError(`alert ids are positive whole numbers, got "${value.slice(0, 20)}"`);
  return Number(value);
}

const GROUPINGS: readonly PerformanceGrouping[] = ['direction', 'score', 'agreement', 'day'];

function grouping(value: string): PerformanceGrouping {
  if (!(GROUPINGS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`must be one of ${GROUPINGS.join(', ')}`);
  return value as PerformanceGrouping;
}

const symbolList = (value: string) => {
  const symbols = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (symbols.length === 0) throw new InvalidArgumentError('give at least one symbol');
  return symbols;
};

export function buildClientProgram(handlers: ClientHandlers, output: ProgramOutput = processOutput): Command {
  const program = new Command('client')
    .description('Market scanner client: ad-hoc scans, the Schedule, cycle status and reports')
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (text) => output.writeOut(text),
      writeErr: (text) => output.writeErr(text),
      outputError: (text, write) => write(`client: ${text.replace(/^error: /, '').split('\n')[0]}\n`),
    })
    .exitOverride((error) => output.exit(error.exitCode === 0 ? 0 : 2))
    // Without a command (or with an unknown one), one line, not the whole help on stderr.
    .allowExcessArguments()
    .action(() => {
      const [unknown] = program.args;
      program.error(
        unknown === undefined
          ? 'give a command: scan, schedule, status, cycles, report, signals, performance or indicators (client --help)'
          : `unknown command '${unknown}' (client --help)`,
      );
    });

  program
    .command('scan')
    .description('run a cycle now: waits and prints the ranked signals')
    .option('--symbols <list>', 'comma-separated symbols (default: the whole universe)', symbolList)
    .option('--timeframes <list>', 'trend, momentum, trigger timeframes', timeframes)
    .option('--limit <n>', 'candles per series', integer(CANDLE_LIMIT))
    .option('--batch-size <n>', 'symbols per batch workflow', integer(BATCH_SIZE))
    .option('--json', 'print only the report JSON')
    .option('--detach', 'print only the cycle id and return at once')
    .action((opts: ScanOptions) => handlers.scan(opts));

  program
    .command('schedule')
    .description('the market-scan Schedule')
    .argument('<action>', 'create | describe | pause | unpause | trigger | delete')
    .action((action: string) => handlers.schedule(action));

  program
    .command('status')
    .description('progress of a running cycle, or its summary when done')
    .argument('<cycleId>')
    .option('--wait', 'block until the cycle is done')
    .action((cycleId: string, opts: { wait?: boolean }) => handlers.status(cycleId, opts));

  program
    .command('cycles')
    .description('the latest recorded cycles, from the ledger')
    .option('--limit <n>', 'how many', integer({ min: 1, max: 1000 }), 20)
    .action((opts: { limit: number }) => handlers.cycles(opts));

  program
    .command('report')
    .description('a saved cycle report, from the ledger')
    .argument('<cycle>', 'a cycle id, or "latest"')
    .option('--json', 'print the report JSON')
    .action((which: string, opts: { json?: boolean }) => handlers.report(which, opts));

  program
    .command('signals')
    .description("the ledger's signals, newest first, with their outcomes")
    .option('--open', 'only those still open')
    .option('--symbol <symbol>', 'one symbol: BTC/USDT:USDT or BTCUSDT')
    .option('--since <window>', 'first seen within this window back from now: 90m, 12h, 7d, 2w', duration)
    .option('--limit <n>', 'how many', integer({ min: 1, max: 100_000 }), 50)
    .option('--json', 'print the signals as JSON')
    .action((opts: { open?: boolean; symbol?: string; since?: number; limit: number; json?: boolean }) =>
      handlers.signals({
        limit: opts.limit,
        ...(opts.open ? { open: true } : {}),
        ...(opts.symbol ? { symbol: opts.symbol } : {}),
        ...(opts.since === undefined ? {} : { sinceMs: opts.since }),
        ...(opts.json ? { json: true } : {}),
      }),
    );

  program
    .command('performance')
    .description('how the signals did: hit rate, average R, expectancy, median time to outcome')
    .option(
      '--since <window>',
      'signals first seen within this window back from now',
      duration,
      duration('30d'),
    )
    .option('--by <grouping>', GROUPINGS.join(' | '), grouping, 'direction' as PerformanceGrouping)
    .option('--json', 'print the figures as JSON')
    .action((opts: { since: number; by: PerformanceGrouping; json?: boolean }) =>
      handlers.performance({ sinceMs: opts.since, by: opts.by, ...(opts.json ? { json: true } : {}) }),
    );

  const alerts = program
    .command('alerts')
    .description('the alert outbox: sent, pending (with attempts) and given up (with why), newest first')
    .option('--failed', 'only the alerts given up')
    .option('--destination <name>', 'one destination')
    .option('--limit <n>', 'how many', integer({ min: 1, max: 100_000 }), 50)
    .option('--json', 'print the alerts as JSON')
    .action((opts: { failed?: boolean; destination?: string; limit: number; json?: boolean }) =>
      handlers.alerts({
        limit: opts.limit,
        ...(opts.failed ? { failed: true } : {}),
        ...(opts.destination ? { destination: opts.destination } : {}),
        ...(opts.json ? { json: true } : {}),
      }),
    );
  alerts
    .command('test')
    .description('send a test message to a destination now, and print what its receiver answered')
    .argument('<destination>', 'a destination name from the alerts configuration')
    .action((destination: string) => handlers.alertTest(destination));
  alerts
    .command('retry')
    .description('queue failed alerts again (after their cause is fixed) and wake their delivery')
    .argument(
      '<ids...>',
      'alert ids, as `client alerts --failed` lists them',
      (value: string, previous?: number[]) => [...(previous ?? []), alertId(value)],
    )
    .action((ids: number[]) => handlers.alertRetry(ids));

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
    .action((opts: { symbol: string; timeframe: Timeframe; json?: boolean }) => handlers.indicators(opts));

  return program;
}
