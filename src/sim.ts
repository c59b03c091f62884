// `npm run sim -- [options]`: the Binance USDⓈ-M simulator alone; prints its
// base URL on one line once it accepts connections (`--help` lists the options).
import { Command, InvalidArgumentError } from 'commander';
import { simulatorOptionsSchema } from './simulator/options.js';
import { startSimulator } from './simulator/server.js';

/** The defaults, as the options schema gives them (shown in --help; never written twice). */
const DEFAULTS = simulatorOptionsSchema.parse({});

function number(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('not a number');
  return n;
}

function rate(value: string): number {
  const n = number(value);
  if (n < 0 || n > 1) throw new InvalidArgumentError('must be between 0 and 1');
  return n;
}

const list = (value: string) => value.split(',').filter(Boolean);
const shown = (value: unknown) => ` (default: ${Array.isArray(value) ? value.join(',') : String(value)})`;

const program = new Command('sim')
  .description('A Binance USDⓈ-M futures simulator that unmodified ccxt talks to')
  .option('--host <host>', `address to bind (admin endpoints answer loopback only)${shown(DEFAULTS.host)}`)
  .option('--port <port>', `port, 0 for any free one${shown(DEFAULTS.port)}`, number)
  .option('--symbols <n>', `active USDT perpetuals${shown(DEFAULTS.symbols)}`, number)
  .option('--seed <seed>', `market seed: same seed, same candles${shown(DEFAULTS.seed)}`)
  .option('--latency-ms <ms>', `mean latency of a REST answer${shown(DEFAULTS.latencyMs)}`, number)
  .option('--jitter-ms <ms>', 'uniform latency jitter (default: a fifth of the latency)', number)
  .option('--speed <factor>', `simulated time runs this many times faster${shown(DEFAULTS.speed)}`, number)
  .option('--start-time <iso>', 'simulated time at start (default: now)')
  .option('--weight-limit <n>', `request weight per minute per IP${shown(DEFAULTS.weightLimit)}`, number)
  .option(
    '--kline-update-ms <ms>',
    `a kline stream's update cadence, real ms${shown(DEFAULTS.klineUpdateMs)}`,
    number,
  )
  .option(
    '--kline-final-delay-ms <ms>',
    `a candle's final kline (x: true) this long after its close, exchange ms${shown(DEFAULTS.klineFinalDelayMs)}`,
    number,
  )
  .option(
    '--ws-legacy-paths',
    'push kline streams on the retired unrouted /ws and /stream paths too, as before 2026-04-23',
  )
  .option('--error-rate <r>', 'share of REST requests answered 503 (default: 0)', rate)
  .option('--hang-rate <r>', 'share of REST requests never answered (default: 0)', rate)
  .option('--malformed-rate <r>', 'share of REST answers malformed or truncated (default: 0)', rate)
  .option('--ws-disconnect-ms <ms>', 'drop each WebSocket after about this long (default: 0, never)', number)
  .option('--delisted <symbols>', 'comma-separated symbols delisted from the start', list)
  .option('--no-prewarm', 'do not compute recent candles in the background at start')
  .option('--prewarm-intervals <list>', `intervals prewarm computes${shown(DEFAULTS.prewarmIntervals)}`, list)
  .option(
    '--prewarm-limit <n>',
    `candles per interval prewarm computes${shown(DEFAULTS.prewarmLimit)}`,
    number,
  )
  .showHelpAfterError(false)
  .configureOutput({ outputError: (text, write) => write(text.split('\n')[0] + '\n') })
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program.parse();
const flags = program.opts<Record<string, string | number | boolean | string[] | undefined>>();

async function main(): Promise<void> {
  const startTime = flags.startTime === undefined ? undefined : Date.parse(String(flags.startTime));
  if (startTime !== undefined && Number.isNaN(startTime))
    throw new Error(`--start-time: not a date: ${String(flags.startTime)}`);
  const parsed = simulatorOptionsSchema.safeParse({
    host: flags.host,
    port: flags.port,
    symbols: flags.symbols,
    seed: flags.seed,
    latencyMs: flags.latencyMs,
    jitterMs: flags.jitterMs,
    speed: flags.speed,
    startTime,
    weightLimit: flags.weightLimit,
    klineUpdateMs: flags.klineUpdateMs,
    klineFinalDelayMs: flags.klineFinalDelayMs,
    wsLegacyPaths: flags.wsLegacyPaths,
    // On the command line the simulator prewarms unless told not to (a test's in-process one does not).
    prewarm: flags.prewarm,
    prewarmIntervals: flags.prewarmIntervals,
    prewarmLimit: flags.prewarmLimit,
    faults: {
      errorRate: flags.errorRate,
      hangRate: flags.hangRate,
      malformedRate: flags.malformedRate,
      wsDisconnectMs: flags.wsDisconnectMs,
      delisted: flags.delisted,
    },
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `--${issue.path.join('.').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue.message}`,
    );
  }
  const sim = await startSimulator(parsed.data);
  console.log(sim.url);
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`sim: ${(error as Error).message}`);
  process.exit(1);
});
