import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { startSimulator } from './server.js';
import { simulatorOptionsSchema } from './options.js';

/** `npm run sim -- --port P [--symbols N] [--latency-ms N] [--seed S]`: prints its URL once it accepts connections. */
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

const program = new Command('sim')
  .description('A Binance USDⓈ-M futures simulator that unmodified ccxt talks to')
  .option('--host <host>', 'address to bind (admin endpoints answer loopback only)', '127.0.0.1')
  .option('--port <port>', 'port (0: any free port)', number, 0)
  .option('--symbols <n>', 'active USDT perpetuals', number, 530)
  .option('--seed <seed>', 'market seed: same seed, same candles', '42')
  .option('--latency-ms <ms>', 'mean latency of a REST answer', number, 100)
  .option('--jitter-ms <ms>', 'uniform latency jitter (default: a fifth of the latency)', number)
  .option('--speed <factor>', 'simulated time runs this many times faster', number, 1)
  .option('--start-time <iso>', 'simulated time at start (default: now)')
  .option('--weight-limit <n>', 'request weight per minute per IP', number, 2400)
  .option('--kline-update-ms <ms>', 'cadence of forming-candle updates on streams', number, 1000)
  .option('--error-rate <r>', 'share of REST requests answered 503', rate, 0)
  .option('--hang-rate <r>', 'share of REST requests never answered', rate, 0)
  .option('--malformed-rate <r>', 'share of REST answers malformed or truncated', rate, 0)
  .option('--ws-disconnect-ms <ms>', 'drop each WebSocket after about this long (0: never)', number, 0)
  .option('--delisted <symbols>', 'comma-separated symbols delisted from the start', '')
  .option('--no-prewarm', 'do not compute recent candles in the background at start')
  .showHelpAfterError(false)
  .configureOutput({ outputError: (text, write) => write(text.split('\n')[0] + '\n') })
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program.parse();
const flags = program.opts<Record<string, string | number | boolean | undefined>>();

async function main(): Promise<void> {
  const startTime = flags.startTime === undefined ? undefined : Date.parse(String(flags.startTime));
  if (startTime !== undefined && Number.isNaN(startTime))
    throw new Error(`--start-time: not a date: ${flags.startTime}`);
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
    prewarm: flags.prewarm,
    faults: {
      errorRate: flags.errorRate,
      hangRate: flags.hangRate,
      malformedRate: flags.malformedRate,
      wsDisconnectMs: flags.wsDisconnectMs,
      delisted: String(flags.delisted ?? '')
        .split(',')
        .filter(Boolean),
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
  console.error(`sim: ${error instanceof z.ZodError ? error.issues[0]?.message : (error as Error).message}`);
  process.exit(1);
});
