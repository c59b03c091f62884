import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OwnedProcess } from '../../src/launcher/child-process.js';
import type { Simulator } from '../../src/simulator/server.js';
import type { CycleReport } from '../../src/contract/types.js';
import { startTestSimulator } from '../helpers/simulator.js';
import { freshTaskQueue } from '../helpers/temporal-env.js';
import {
  chaosDir,
  expectCompleteReport,
  logLines,
  newCycle,
  RedisProcess,
  recordHistories,
  recordTiming,
  resultOf,
  startWorkerProcess,
  TemporalProcess,
  whenFetching,
} from './harness.js';

interface ExchangeInfo {
  symbols: Array<{
    symbol: string;
    baseAsset: string;
    quoteAsset: string;
    contractType: string;
    status: string;
  }>;
}

/** The worker's view of the universe: USDT perpetuals by ccxt symbol, in its order. */
async function universe(sim: Simulator): Promise<Array<{ id: string; symbol: string }>> {
  const info = (await (await fetch(`${sim.url}/fapi/v1/exchangeInfo`)).json()) as ExchangeInfo;
  return info.symbols
    .filter((s) => s.quoteAsset === 'USDT' && s.contractType === 'PERPETUAL' && s.status === 'TRADING')
    .map((s) => ({ id: s.symbol, symbol: `${s.baseAsset}/USDT:USDT` }))
    .sort((a, b) => a.symbol.localeCompare(b.symbol));
}

/**
 * Full cycles against a faulty exchange (the simulator's fault injection),
 * with a worker process as operators run it: every cycle completes, failures
 * are per symbol with their reasons, retries are bounded and logged, and the
 * exchange never has to ban us (no 418).
 */
describe('exchange faults', () => {
  let temporal: TemporalProcess;
  let redis: RedisProcess;
  const running: Array<{ close(): Promise<unknown> }> = [];
  afterAll(async () => {
    for (const r of running.reverse()) await r.close();
  });
  beforeAll(async () => {
    temporal = await TemporalProcess.start(chaosDir('faults'));
    redis = await RedisProcess.start();
    running.push({ close: () => temporal.stop() }, { close: () => redis.stop() });
  }, 180_000);

  async function worker(
    sim: Simulator,
    env: Record<string, string>,
  ): Promise<{ w: OwnedProcess; taskQueue: string }> {
    const taskQueue = freshTaskQueue('faults');
    const w = await startWorkerProcess({
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      REDIS_URL: redis.url,
      EXCHANGE_URL: sim.url,
      ...env,
    });
    running.push({ close: () => w.stop() });
    return { w, taskQueue };
  }

  it("10% Binance failures (503 -1001, 503, 408 -1007, an ELB's 502, resets), 2% hangs, 1% malformed bodies, a symbol delisted mid-cycle, streams dropped every 3 s", async () => {
    const sim = await startTestSimulator({
      latencyMs: 100,
      prewarm: true,
      faults: { errorRate: 0.1, hangRate: 0.02, malformedRate: 0.01, wsDisconnectMs: 3000 },
    });
    running.push(sim);
    const { w, taskQueue } = await worker(sim, {
      STREAMS: 'on',
      EXCHANGE_TIMEOUT_MS: '2000',
      // Each cycle lists again, so the second one no longer has the delisted symbol.
      EXCHANGE_MARKETS_REFRESH_MS: '0',
      SCAN_FETCH_CONCURRENCY: '4',
    });
    const listed = await universe(sim);
    // The last symbol of the first batch: it is fetched a few seconds into the cycle, after the listing.
    const doomed = listed[63]!;

    const first = newCycle(temporal, taskQueue);
    await whenFetching(w);
    sim.state.delist(doomed.id);
    const report = await resultOf(temporal, first.cycleId);
    const firstMs = Date.now() - first.started;
    await expectCompleteReport(report, { symbols: listed.length });
    const reasons = Object.fromEntries(report.failures.map((f) => [f.symbol, f.reason]));
    expect(reasons[doomed.symbol]).toMatch(/UnknownSymbolError/);
    // Anything else that failed ran out of retries on a temporary fault, and says so.
    for (const [symbol, reason] of Object.entries(reasons))
      if (symbol !== doomed.symbol) expect(reason).toMatch(/TemporaryExchangeError|MalformedCandlesError/);
    expect(report.failures.length).toBeLessThan(10);

    const second = newCycle(temporal, taskQueue);
    const again = await resultOf(temporal, second.cycleId);
    await expectCompleteReport(again, { symbols: listed.length - 1 });
    expect(again.failures.map((f) => f.symbol)).not.toContain(doomed.symbol);

    const stats = sim.stats.snapshot();
    expect(stats.byStatus['418'] ?? 0).toBe(0);
    expect(stats.faults.error).toBeGreaterThan(50);
    expect(stats.faults.hang).toBeGreaterThan(5);
    expect(stats.faults.malformed).toBeGreaterThan(2);
    // Bounded: at most 5 retries a request (6 attempts: exchange/retry.ts); logged, one line each, with the activity's ids.
    const retried = logLines(w, /^exchange request retried$/);
    expect(report.stats.retries).toBeGreaterThan(0);
    expect(report.stats.retries).toBeLessThanOrEqual(5 * 1590);
    expect(retried.length).toBeGreaterThanOrEqual(report.stats.retries + again.stats.retries);
    expect(retried.every((l) => Number(l.attempt) <= 5 && typeof l.workflowId === 'string')).toBe(true);
    recordTiming('exchange faults', {
      ms: firstMs,
      failures: report.failures.length,
      retries: report.stats.retries,
      served5xx: stats.faults.error,
      hangs: stats.faults.hang,
      malformed: stats.faults.malformed,
      status418: stats.byStatus['418'] ?? 0,
    });

    await recordHistories(temporal, [
      [first.cycleId, 'faults-scan-market'],
      [`${first.cycleId}/batch-01`, 'faults-scan-batch'],
    ]);
  }, 600_000);

  it('a 429 storm: the exchange allows a tenth of what the worker budgets; the cycle completes, never banned', async () => {
    // 100 symbols × 3 series against 200 weight per 10 s.
    const sim = await startTestSimulator({
      symbols: 100,
      latencyMs: 50,
      weightLimit: 200,
      weightWindowMs: 10_000,
    });
    running.push(sim);
    const { taskQueue } = await worker(sim, { STREAMS: 'off', EXCHANGE_WEIGHT_LIMIT: '2300' });
    const cycle = newCycle(temporal, taskQueue);
    const report: CycleReport = await resultOf(temporal, cycle.cycleId);
    const ms = Date.now() - cycle.started;
    const listed = await universe(sim);
    await expectCompleteReport(report, { symbols: listed.length, failures: 0 });
    const stats = sim.stats.snapshot();
    expect(stats.byStatus['429'] ?? 0).toBeGreaterThan(0);
    expect(stats.byStatus['418'] ?? 0).toBe(0);
    recordTiming('429 storm', {
      ms,
      status429: stats.byStatus['429'] ?? 0,
      status418: stats.byStatus['418'] ?? 0,
    });
  }, 600_000);
});
