// Close → report: how long after a candle's close (by the exchange's clock)
// its ranked signals are saved, over consecutive 5m closes at real clock
// speed. Between closes the simulator's clock is moved to a few seconds
// before the next one (never past it: the streams then extend the stored
// series without a gap). Three designs on the same simulator, one after the
// other: the worker's close trigger (a cycle once a quarter of the final
// klines, sent about 2 s after the close, have come, each batch's read then
// waiting for its own symbols' finals); the previous design, a cycle once 98%
// of the finals have come, no read waiting; and a cycle started at close +
// 5 s, the way the Schedule alone starts them.
import { scheduledCycleId } from '../src/contract/ids.js';
import type { CycleReport, ScanInput } from '../src/contract/types.js';
import { cycleStartOptions } from '../src/temporal/cycle-start.js';
import { scanMarketWorkflow } from '../src/workflows/index.js';
import { type CyclePhases, cyclePhases, PHASES } from './cycle-phases.js';
import type { BenchTemporal } from './stack.js';

export type CloseDesign = 'close trigger' | 'trigger at 98%' | 'cron + 5 s';

/** The worker's settings of each design (over STREAMS=on). */
export const CLOSE_DESIGNS: Record<CloseDesign, Record<string, string>> = {
  'close trigger': { CLOSE_TRIGGER: 'on' },
  'trigger at 98%': { CLOSE_TRIGGER: 'on', CLOSE_TRIGGER_SHARE: '0.98', STREAM_FINAL_WAIT_MS: '0' },
  'cron + 5 s': { CLOSE_TRIGGER: 'off' },
};

export interface CloseFigures {
  design: CloseDesign;
  closes: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Each close's close → report, in order. */
  samplesMs: number[];
  /** Series answered by the streams, and by REST, over all the closes. */
  stream: number;
  rest: number;
  /** Medians over the closes of each moment of the cycle's history, from the close. */
  phasesP50Ms: CyclePhases;
}

const FIVE_MINUTES = 300_000;
/** Where each jump of the simulator's clock lands: this long before the next close. */
const LEAD_MS = 5_000;
/** The Schedule's offset (SCAN_OFFSET_SECONDS' default): the close trigger's cycles carry its ids. */
const OFFSET_MS = 5_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function simNow(simUrl: string): Promise<number> {
  return ((await (await fetch(`${simUrl}/admin/status`)).json()) as { now: number }).now;
}

/** The simulator's clock minus real time (ms), from one status request's midpoint. */
async function simOffset(simUrl: string): Promise<number> {
  const before = Date.now();
  const now = await simNow(simUrl);
  return now - (before + Date.now()) / 2;
}

async function setSimClock(simUrl: string, time: number): Promise<void> {
  const response = await fetch(`${simUrl}/admin/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ set: time }),
  });
  if (!response.ok) throw new Error(`simulator clock: HTTP ${response.status} ${await response.text()}`);
}

/** The result of the workflow `id`, once something has started it (the worker's close trigger). */
async function resultWhenStarted(
  temporal: BenchTemporal,
  id: string,
  withinMs: number,
): Promise<CycleReport> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await temporal.client.workflow.getHandle<typeof scanMarketWorkflow>(id).result();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`no cycle ${id} within ${withinMs} ms: ${String(error)}`);
      await sleep(50);
    }
  }
}

/**
 * `closes` consecutive 5m closes under `design`. The worker on `taskQueue`
 * must follow the streams and have a warm store; for the close trigger it
 * runs with CLOSE_TRIGGER=on, for cron + 5 s with it off.
 */
export async function measureCloseToReport(
  temporal: BenchTemporal,
  simUrl: string,
  taskQueue: string,
  design: CloseDesign,
  closes: number,
  input: ScanInput,
  say: (line: string) => void,
): Promise<CloseFigures> {
  const samples: number[] = [];
  const phases: CyclePhases[] = [];
  let stream = 0;
  let rest = 0;
  for (let i = 0; i < closes; i++) {
    const now = await simNow(simUrl);
    let close = Math.ceil(now / FIVE_MINUTES) * FIVE_MINUTES;
    if (close - now < LEAD_MS / 2) close += FIVE_MINUTES;
    if (close - now > LEAD_MS) await setSimClock(simUrl, close - LEAD_MS);
    const untilClose = Math.min(close - now, LEAD_MS);
    // The close in real time, for the history's event times (the clock runs at real speed from here).
    const closeRealMs = close - (await simOffset(simUrl));
    let report: CycleReport;
    let cycleId: string;
    if (design !== 'cron + 5 s') {
      await sleep(untilClose);
      cycleId = scheduledCycleId(close + OFFSET_MS);
      report = await resultWhenStarted(temporal, cycleId, 30_000);
    } else {
      await sleep(untilClose + OFFSET_MS);
      cycleId = `bench-cron-${close}-${Date.now()}`;
      report = await temporal.client.workflow.execute(scanMarketWorkflow, {
        ...cycleStartOptions(taskQueue, cycleId, { ...input, closeTime: close }),
      });
    }
    phases.push(await cyclePhases(temporal.client, cycleId, closeRealMs));
    if (report.closeTime !== new Date(close).toISOString())
      throw new Error(`cycle served ${report.closeTime}, not the close ${new Date(close).toISOString()}`);
    samples.push(report.closeToReportMs ?? Number.NaN);
    stream += report.stats.answers.stream;
    rest += report.stats.answers.rest;
    say(
      `${design} ${i + 1}/${closes}: close → report ${report.closeToReportMs} ms (${report.stats.answers.stream} stream, ${report.stats.answers.rest} REST)`,
    );
  }
  return {
    design,
    closes,
    p50Ms: percentile(samples, 50),
    p95Ms: percentile(samples, 95),
    maxMs: Math.max(...samples),
    samplesMs: samples,
    stream,
    rest,
    phasesP50Ms: Object.fromEntries(
      PHASES.map((phase) => [
        phase,
        percentile(
          phases.map((p) => p[phase]),
          50,
        ),
      ]),
    ) as unknown as CyclePhases,
  };
}
