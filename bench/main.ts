// `npm run bench [-- --json FILE]`: the cycle against its baselines, side by
// side in one run, against one simulator (530 symbols, 100 ms ± 20 ms
// latency, weight limit on). What counts is each figure as a ratio to the
// baselines measured in the same run, and medians of several repetitions.
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../src/config.js';
import { errorMessage } from '../src/core/errors.js';
import { PROJECT_ROOT } from '../src/config.js';
import type { OwnedProcess } from '../src/launcher/child-process.js';
import {
  analysisSpeed,
  baselineExchange,
  batchedBaseline,
  fetchUniverse,
  sequentialBaseline,
  type BaselineRun,
} from './baselines.js';
import { RssSampler, spread } from './measure.js';
import { fromReport, summarize, type Repetition, type Row, type RowName } from './rows.js';
import {
  BENCH_DIR,
  forgetExchange,
  runCycle,
  startSimulator,
  startTemporal,
  startWorker,
  type BenchSimulator,
  type BenchTemporal,
} from './stack.js';
import { CLOSE_DESIGNS, type CloseDesign, measureCloseToReport, type CloseFigures } from './close.js';
import { measureWriteCosts, type WriteCost } from './ledger-cost.js';
import { postgresDatabases } from '../test/storage/ledger-databases.js';
import { measureStreams, startTimeBeforeClose, type StreamFigures } from './streams.js';
import {
  checkCloseTargets,
  checkLedgerTargets,
  checkTargets,
  renderCloseTable,
  renderPhaseTable,
  renderLedgerTable,
  renderTable,
  type LedgerWarm,
} from './table.js';

const count = (min: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be a whole number ≥ ${min}`);
  return n;
};

const program = new Command('bench')
  .description('the scan cycle against its baselines, in one run')
  .option('--json <file>', 'also write the figures as JSON')
  .option('--repetitions <n>', 'repetitions of each row (medians are reported)', count(1), 5)
  .option(
    '--sequential-repetitions <n>',
    'repetitions of the sequential baseline (~3 min each; 0 skips it)',
    count(0),
    1,
  )
  .option('--scale-symbols <n>', 'universe of the scale rows', count(1), 2000)
  .option('--no-scale', 'skip the scale rows')
  .option('--closes <n>', 'consecutive 5m closes measured under each design (close part)', count(1), 20)
  .option(
    '--only <parts>',
    'run only some parts: baselines, product, close, ledger, streams, scale (comma-separated)',
    'baselines,product,close,ledger,streams,scale',
  )
  .option('--temporal-port <port>', 'port of the dev server the bench starts', count(1), 7633)
  .showHelpAfterError(false)
  .configureOutput({
    outputError: (text, write) => write(`bench: ${text.replace(/^error: /, '').split('\n')[0]}\n`),
  })
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
program.parse();
const flags = program.opts<{
  json?: string;
  repetitions: number;
  sequentialRepetitions: number;
  scaleSymbols: number;
  scale: boolean;
  closes: number;
  only: string;
  temporalPort: number;
}>();
const parts = new Set(flags.only.split(',').map((p) => p.trim()));
for (const part of parts)
  if (!['baselines', 'product', 'close', 'ledger', 'streams', 'scale'].includes(part)) {
    console.error(
      `bench: --only: unknown part "${part}" (baselines, product, close, ledger, streams, scale)`,
    );
    process.exit(2);
  }
if (!flags.scale) parts.delete('scale');

const owned: OwnedProcess[] = [];
const say = (line: string) => console.error(`[bench] ${line}`);
const REDIS_URL = loadConfig(process.env, {}, { requireExchangeUrl: false }).REDIS_URL;
const roundSpread = (values: number[]) => {
  const { min, median, max } = spread(values);
  return {
    min: Math.round(min * 10) / 10,
    median: Math.round(median * 10) / 10,
    max: Math.round(max * 10) / 10,
  };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `repeat` and turns its repetitions into a row, with the 429/418 and peak RSS it caused. */
async function row(
  name: RowName,
  sim: BenchSimulator,
  rssOf: () => number | undefined,
  repetitions: number,
  repeat: (i: number) => Promise<Repetition>,
): Promise<Row> {
  const before = await sim.statusCounts();
  const sampler = new RssSampler(rssOf);
  const reps: Repetition[] = [];
  for (let i = 0; i < repetitions; i++) {
    const rep = await repeat(i);
    say(
      `${name} ${i + 1}/${repetitions}: ${Math.round(rep.wallMs)} ms, ${rep.restRequests} requests, ${(rep.answerRate * 100).toFixed(1)}% answered`,
    );
    reps.push(rep);
  }
  const after = await sim.statusCounts();
  const delta = (code: string) => (after[code] ?? 0) - (before[code] ?? 0);
  return summarize(name, reps, { http429: delta('429'), http418: delta('418'), peakRssMb: sampler.peak() });
}

const baselineRep = (run: BaselineRun, symbols: number): Repetition => ({
  wallMs: run.wallMs,
  fetchMs: run.fetchMs,
  analyzeMs: run.analyzeMs,
  restRequests: run.requests,
  restWeight: run.requests,
  answerRate: 0,
  signals: run.signals,
  symbols,
});

/** A worker of its own for a row: replaced between repetitions where the row asks for it. */
class WorkerSlot {
  current?: OwnedProcess;
  constructor(
    private readonly env: Record<string, string>,
    private readonly heapMb = 192,
  ) {}
  async replace(): Promise<void> {
    await this.stop();
    this.current = await startWorker(this.env, this.heapMb);
    owned.push(this.current);
  }
  async stop(): Promise<void> {
    await this.current?.stop();
    this.current = undefined;
  }
  pid = () => this.current?.child.pid;
}

async function productRows(
  temporal: BenchTemporal,
  sim: BenchSimulator,
  names: { cold: RowName; warm: RowName; restart?: RowName },
  options: { weightLimit: number; heapMb: number },
): Promise<Row[]> {
  const env = (streams: 'on' | 'off') => ({
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: `bench-${sim.exchangeId}`,
    EXCHANGE: 'simulator',
    EXCHANGE_URL: sim.url,
    EXCHANGE_WEIGHT_LIMIT: String(options.weightLimit),
    REDIS_URL,
    STREAMS: streams,
  });
  const cycle = async () => {
    const { wallMs, report } = await runCycle(temporal, `bench-${sim.exchangeId}`);
    return fromReport(wallMs, report);
  };
  const rows: Row[] = [];

  // Cold: a new worker (empty memory), nothing in Redis, a fresh minute of weight, streams off.
  const cold = new WorkerSlot(env('off'), options.heapMb);
  rows.push(
    await row(names.cold, sim, cold.pid, flags.repetitions, async () => {
      await cold.stop();
      await forgetExchange(REDIS_URL, sim.exchangeId);
      await sim.resetLimits();
      await cold.replace();
      return cycle();
    }),
  );
  await cold.stop();

  // Warm: streams live, the store warm (one cycle first, not counted).
  const live = new WorkerSlot(env('on'), options.heapMb);
  await live.replace();
  await sim.resetLimits();
  await cycle();
  await sleep(2_000);
  rows.push(
    await row(names.warm, sim, live.pid, flags.repetitions, async () => {
      await sleep(1_000);
      return cycle();
    }),
  );

  // Restart: the first cycle after the worker process is replaced.
  if (names.restart) {
    rows.push(
      await row(names.restart, sim, live.pid, flags.repetitions, async () => {
        await live.replace();
        return cycle();
      }),
    );
  }
  await live.stop();
  return rows;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(PROJECT_ROOT, 'dist', 'worker.js')))
    throw new Error('run `npm run build` first (npm run bench does)');
  say(`logs and the dev server's database in ${BENCH_DIR}`);
  const temporal = await startTemporal(flags.temporalPort);
  owned.push(temporal.process);
  const sim = await startSimulator(['--symbols', '530']);
  owned.push(sim.process);
  say(`simulator ${sim.url}: 530 symbols, 100 ms ± 20 ms latency, 2400 weight/min`);

  const { exchange, symbols } = await baselineExchange(sim.url);
  // Not counted: the simulator computes each series once, whoever asks first.
  await batchedBaseline(exchange, symbols);
  const rows: Row[] = [];
  const self = () => process.pid;
  if (parts.has('baselines') && flags.sequentialRepetitions > 0)
    rows.push(
      await row('sequential', sim, self, flags.sequentialRepetitions, async () => {
        await sim.resetLimits();
        return baselineRep(await sequentialBaseline(exchange, symbols), symbols.length);
      }),
    );
  if (parts.has('baselines'))
    rows.push(
      await row('batched', sim, self, flags.repetitions, async () => {
        await sim.resetLimits();
        return baselineRep(await batchedBaseline(exchange, symbols), symbols.length);
      }),
    );
  // The analysis alone (issue: 530 × 3 series of 99 candles in one process under 100 ms).
  await sim.resetLimits();
  const analysis = analysisSpeed(await fetchUniverse(exchange, symbols), Math.max(5, flags.repetitions));
  const analysisRow = {
    symbols: symbols.length,
    series: symbols.length * 3,
    signalsMs: roundSpread(analysis.signalsMs),
    allIndicatorsMs: roundSpread(analysis.allIndicatorsMs),
  };
  say(
    `analysis alone: signals for ${symbols.length} symbols ${analysisRow.signalsMs.median} ms, every indicator of ${analysisRow.series} series ${analysisRow.allIndicatorsMs.median} ms (medians)`,
  );
  await exchange.close();

  if (parts.has('product'))
    rows.push(
      ...(await productRows(
        temporal,
        sim,
        { cold: 'cold', warm: 'warm', restart: 'restart' },
        { weightLimit: 2300, heapMb: 192 },
      )),
    );
  await sim.process.stop();

  const closeFigures: CloseFigures[] = [];
  if (parts.has('close')) {
    // Its own simulator on the real clock; every design on it, one after the other.
    const closeSim = await startSimulator(['--symbols', '530']);
    owned.push(closeSim.process);
    const taskQueue = `bench-${closeSim.exchangeId}`;
    for (const design of Object.keys(CLOSE_DESIGNS) as CloseDesign[]) {
      const worker = new WorkerSlot({
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        EXCHANGE: 'simulator',
        EXCHANGE_URL: closeSim.url,
        REDIS_URL,
        STREAMS: 'on',
        ...CLOSE_DESIGNS[design],
        // The bench moves the simulator's clock between closes: the worker follows within a second.
        EXCHANGE_CLOCK_CHECK_MS: '1000',
      });
      await worker.replace();
      await runCycle(temporal, taskQueue); // seeds the store; the streams extend it from here
      const figures = await measureCloseToReport(
        temporal,
        closeSim.url,
        taskQueue,
        design,
        flags.closes,
        { trigger: 'schedule' },
        say,
      );
      say(
        `${design}: close → report p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms over ${figures.closes} closes`,
      );
      closeFigures.push(figures);
      await worker.stop();
    }
    await closeSim.process.stop();
  }

  const writeCosts: WriteCost[] = [];
  const ledgerWarm: LedgerWarm[] = [];
  if (parts.has('ledger')) {
    writeCosts.push(...(await measureWriteCosts(say)));
    // The warm cycle with each database behind the worker's ledger, one after the other, on one simulator.
    const ledgerSim = await startSimulator(['--symbols', '530']);
    owned.push(ledgerSim.process);
    const taskQueue = `bench-${ledgerSim.exchangeId}`;
    const postgres = await postgresDatabases();
    const databases: Array<{ database: LedgerWarm['database']; env: Record<string, string> }> = [
      { database: 'SQLite', env: {} },
    ];
    if (!postgres.unavailable)
      databases.push({
        database: 'PostgreSQL',
        env: { DATABASE_URL: (await postgres.fresh()).databaseUrl! },
      });
    try {
      for (const { database, env } of databases) {
        const worker = new WorkerSlot({
          TEMPORAL_ADDRESS: temporal.address,
          TEMPORAL_TASK_QUEUE: taskQueue,
          EXCHANGE: 'simulator',
          EXCHANGE_URL: ledgerSim.url,
          REDIS_URL,
          STREAMS: 'on',
          ...env,
        });
        await worker.replace();
        await runCycle(temporal, taskQueue); // seeds the store and the ledger
        await sleep(2_000);
        const walls: number[] = [];
        for (let i = 0; i < Math.max(5, flags.repetitions); i++) {
          await sleep(1_000);
          walls.push((await runCycle(temporal, taskQueue)).wallMs);
        }
        const { median, min, max } = roundSpread(walls);
        ledgerWarm.push({ database, cycles: walls.length, medianMs: median, minMs: min, maxMs: max });
        say(`warm cycle, ${database} ledger: median ${median} ms (${min}-${max}) over ${walls.length}`);
        await worker.stop();
      }
    } finally {
      await postgres.dropAll();
      await ledgerSim.process.stop();
    }
  }

  let streams: StreamFigures | undefined;
  if (parts.has('streams')) {
    // Its own simulator, whose clock reaches a 5m close 100 s after it starts: the worker is up by then.
    const streamSim = await startSimulator([
      '--symbols',
      '530',
      '--start-time',
      startTimeBeforeClose(100_000),
    ]);
    owned.push(streamSim.process);
    const taskQueue = `bench-${streamSim.exchangeId}`;
    const worker = new WorkerSlot({
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      EXCHANGE: 'simulator',
      EXCHANGE_URL: streamSim.url,
      REDIS_URL,
      STREAMS: 'on',
    });
    await worker.replace();
    await runCycle(temporal, taskQueue); // seeds the store; the streams extend it from here
    streams = await measureStreams(temporal, streamSim, taskQueue, worker.pid()!);
    say(
      `streams: ${streams.streams} streams, ${streams.messagesPerSecond} messages/s, worker CPU ${(streams.cpuShare * 100).toFixed(1)}% of a core, RSS ${streams.rssMb} MB; cycle at close + 5 s: ${streams.closePlus5.wallMs} ms (fetch ${streams.closePlus5.fetchMs}, analysis ${streams.closePlus5.analyzeMs}), ${streams.closePlus5.stream} stream / ${streams.closePlus5.store} store / ${streams.closePlus5.rest} REST of ${streams.closePlus5.series}`,
    );
    await worker.stop();
    await streamSim.process.stop();
  }

  if (parts.has('scale')) {
    // The exchange's weight limit grows with the universe here, so that the
    // rows measure how our cost grows, not Binance's per-minute ceiling
    // (at 2,400/min a cold 2,000-symbol cycle is paced to ~2.5 minutes).
    const factor = flags.scaleSymbols / 530;
    const big = await startSimulator([
      '--symbols',
      String(flags.scaleSymbols),
      '--weight-limit',
      String(Math.round(2400 * factor)),
    ]);
    owned.push(big.process);
    say(`simulator ${big.url}: ${flags.scaleSymbols} symbols, weight limit ×${factor.toFixed(2)}`);
    const heapMb = Math.round(192 * Math.max(1, factor * 0.75));
    rows.push(
      ...(await productRows(
        temporal,
        big,
        { cold: 'scale-cold', warm: 'scale-warm' },
        { weightLimit: Math.round(2300 * factor), heapMb },
      )),
    );
  }

  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
  };
  const targets = [
    ...checkTargets(rows),
    ...checkCloseTargets(closeFigures),
    ...checkLedgerTargets(writeCosts),
  ];
  if (rows.length > 0) {
    console.log(renderTable(rows));
    console.log('');
  }
  if (closeFigures.length > 0) {
    console.log(renderCloseTable(closeFigures));
    console.log('');
    console.log(renderPhaseTable(closeFigures));
    console.log('');
  }
  if (writeCosts.length > 0) {
    console.log(renderLedgerTable(writeCosts, ledgerWarm));
    console.log('');
  }
  const analysisTarget = {
    target: `analysis of ${analysisRow.series} series in one process < 100 ms`,
    measured: `${analysisRow.signalsMs.median} ms (signals), ${analysisRow.allIndicatorsMs.median} ms (every indicator)`,
    met: analysisRow.signalsMs.median < 100,
  };
  targets.push(analysisTarget);
  if (streams) {
    targets.push(
      {
        target: "stream handling at Binance's rate < 25% of one core",
        measured: `${(streams.cpuShare * 100).toFixed(1)}% at ${streams.messagesPerSecond} messages/s (${streams.streams} streams)`,
        met: streams.cpuShare < 0.25,
      },
      {
        target: "worker RSS with every stream at Binance's rate < 300 MB",
        measured: `${streams.rssMb} MB`,
        met: streams.rssMb < 300,
      },
      {
        target: 'a cycle at close + 5 s answers from the streams and the store (REST ≤ 2%)',
        measured: `${streams.closePlus5.rest} REST of ${streams.closePlus5.series} (${streams.closePlus5.stream} stream)`,
        met: streams.closePlus5.rest <= 0.02 * streams.closePlus5.series,
      },
    );
  }
  for (const t of targets) console.log(`${t.met ? 'met    ' : 'MISSED '} ${t.target}: ${t.measured}`);
  console.log(`\n${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}`);
  if (flags.json) {
    writeFileSync(
      flags.json,
      `${JSON.stringify({ machine, runs: rows, analysis: analysisRow, close: closeFigures, ledger: { writeCosts, warm: ledgerWarm }, streams, targets }, null, 2)}\n`,
    );
    say(`figures written to ${flags.json}`);
  }
}

async function stopAll(): Promise<void> {
  for (const p of [...owned].reverse()) await p.stop().catch(() => {});
}

process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
main()
  .then(stopAll)
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    console.error(`bench: ${errorMessage(error).split('\n')[0]}`);
    await stopAll();
    process.exit(1);
  });
