// The stream tier at Binance's message rate: a worker with every symbol ×
// timeframe streamed (1,590 streams for 530 symbols), the simulator pushing
// each about every 250 ms and the final kline about 2 s after the close, on
// the real clock. Measures the worker's CPU share and RSS while it only
// listens, the message rate it takes in, and how a cycle started 5 s after a
// 5m close is answered (the streams' final klines must already be in).
import { cpuSeconds, rssMb } from './measure.js';
import type { BenchSimulator, BenchTemporal } from './stack.js';
import { runCycle } from './stack.js';

export interface StreamFigures {
  streams: number;
  /** Share of one core the worker used while listening (no cycle running). */
  cpuShare: number;
  rssMb: number;
  messagesPerSecond: number;
  /** A cycle started 5 s after a 5m close: series answered by the streams, of all. */
  closePlus5: {
    wallMs: number;
    fetchMs: number;
    analyzeMs: number;
    stream: number;
    rest: number;
    store: number;
    series: number;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureStreams(
  temporal: BenchTemporal,
  sim: BenchSimulator,
  taskQueue: string,
  workerPid: number,
  listenMs = 30_000,
): Promise<StreamFigures> {
  const status = async () =>
    (await (await fetch(`${sim.url}/admin/status`)).json()) as {
      now: number;
      streams: { subscriptions: number };
      stats: { ws: { klineEvents: number } };
    };
  // Listening: CPU and messages over a window without a cycle.
  const before = {
    cpu: cpuSeconds(workerPid),
    at: performance.now(),
    events: (await status()).stats.ws.klineEvents,
  };
  await sleep(listenMs);
  const after = {
    cpu: cpuSeconds(workerPid),
    at: performance.now(),
    events: (await status()).stats.ws.klineEvents,
  };
  const seconds = (after.at - before.at) / 1000;
  // Then the next 5m close by the exchange's clock, and a cycle 5 s after it.
  const now = (await status()).now;
  const close = Math.ceil(now / 300_000) * 300_000;
  await sleep(close + 5_000 - now);
  const { wallMs, report } = await runCycle(temporal, taskQueue);
  const { l1, l2, stream, rest } = report.stats.answers;
  return {
    streams: (await status()).streams.subscriptions,
    cpuShare: (after.cpu - before.cpu) / seconds,
    rssMb: Math.round(rssMb(workerPid)),
    messagesPerSecond: Math.round((after.events - before.events) / seconds),
    closePlus5: {
      wallMs: Math.round(wallMs),
      fetchMs: report.stats.fetchMs,
      analyzeMs: report.stats.analyzeMs,
      stream,
      rest,
      store: l1 + l2,
      series: l1 + l2 + stream + rest,
    },
  };
}

/**
 * A simulator whose clock reaches a 5m close `leadMs` after it starts, so
 * that the close comes once the worker is up and the store warm, without
 * moving its clock (which would leave the streams behind).
 */
export function startTimeBeforeClose(leadMs: number): string {
  const boundary = Math.floor(Date.now() / 300_000) * 300_000;
  return new Date(boundary - leadMs).toISOString();
}
