import { Command, InvalidArgumentError } from 'commander';
import { errorMessage } from '../errors.js';
import { parseTimeframes } from '../scan/timeframes.js';
import type { Timeframe } from '../scan/types.js';

/**
 * The client's command line: parsing and validation only. Each command's
 * work is a handler (src/client.ts gives the real ones; the fuzz test gives
 * recording ones), so whatever reaches a handler has been validated here.
 * A bad argument writes one line and exits 2.
 */
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
          ? 'give a command: scan, schedule, status, cycles, report or indicators (client --help)'
          : `unknown command '${unknown}' (client --help)`,
      );
    });

  program
    .command('scan')
    .description('run a cycle now: waits and prints the ranked signals')
    .option('--symbols <list>', 'comma-separated symbols (default: the whole universe)', symbolList)
    .option('--timeframes <list>', 'trend, momentum, trigger timeframes', timeframes)
    .option('--limit <n>', 'candles per series', integer(60, 1500))
    .option('--batch-size <n>', 'symbols per batch workflow', integer(1, 1000))
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
    .description('recent cycles from Temporal visibility')
    .option('--limit <n>', 'how many', integer(1, 1000), 20)
    .action((opts: { limit: number }) => handlers.cycles(opts));

  program
    .command('report')
    .description('a saved cycle report')
    .argument('<cycle>', 'a cycle id, or "latest"')
    .option('--json', 'print the report JSON')
    .action((which: string, opts: { json?: boolean }) => handlers.report(which, opts));

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
