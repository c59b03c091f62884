import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/contract/types.js';
import { scanMarketWorkflow } from '../../src/workflows/index.js';
import { startStack, type Stack } from '../helpers/stack.js';

/** The live-stream tier on an accelerated clock: closed candles reach the store without a request. */
describe('live kline streams feed the candle store', () => {
  let stack: Stack;
  const cycle = (id: string): Promise<CycleReport> =>
    stack.env.client.workflow.execute(scanMarketWorkflow, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId: id,
      args: [{}],
    });

  beforeAll(async () => {
    // One simulated minute per real second: a 5m candle closes every 5 s.
    stack = await startStack({
      sim: { symbols: 20, speed: 60, klineUpdateMs: 200, latencyMs: 10 },
      env: { STREAMS: 'on', EXCHANGE_CLOCK_CHECK_MS: '200' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers the second cycle from streamed candles, with few REST requests', async () => {
    const id = `scan-adhoc-streams-${Date.now()}`;
    const cold = await cycle(id);
    expect(cold.symbolsScanned).toBe(20);
    expect(cold.stats.answers.rest).toBe(60);
    // Cross a few 5m closes (and a 15m one): the streams extend the stored series.
    await new Promise((r) => setTimeout(r, 16_000));
    const warm = await cycle(`${id}-warm`);
    console.log(
      `warm cycle with streams: ${JSON.stringify(warm.stats.answers)}, ${warm.stats.restRequests} REST requests`,
    );
    expect(warm.symbolsScanned).toBe(20);
    expect(warm.stats.answers.stream).toBeGreaterThanOrEqual(20);
    expect(warm.stats.restRequests).toBeLessThan(30);
    expect(stack.sim.status().streams.connections).toBeGreaterThanOrEqual(1);
    // The worker's metrics saw those closes arrive, and how late (by the exchange's clock).
    const metrics = await stack.worker.metrics.registry.getSingleMetricAsString('scanner_stream_lag_seconds');
    const lag = metrics.match(/^scanner_stream_lag_seconds_count (\d+)$/m);
    expect(Number(lag?.[1])).toBeGreaterThanOrEqual(20);
    expect(Number(metrics.match(/^scanner_stream_lag_seconds_sum (\S+)$/m)?.[1])).toBeGreaterThanOrEqual(0);
  }, 120_000);

  it('survives a dropped connection: resubscribes, keeps every symbol, streams again', async () => {
    const opened = stack.sim.stats.ws.opened;
    stack.sim.streams.dropAll();
    // A close passes while reconnecting: those candles come from REST next cycle.
    await new Promise((r) => setTimeout(r, 6_000));
    const after = await cycle(`scan-adhoc-streams-drop-${Date.now()}`);
    expect(after.symbolsScanned).toBe(20);
    expect(after.failures).toEqual([]);
    expect(stack.sim.stats.ws.opened).toBeGreaterThan(opened);
    await new Promise((r) => setTimeout(r, 11_000));
    const recovered = await cycle(`scan-adhoc-streams-recovered-${Date.now()}`);
    console.log(
      `after a drop: ${JSON.stringify(after.stats.answers)}; recovered: ${JSON.stringify(recovered.stats.answers)}`,
    );
    expect(recovered.stats.answers.stream).toBeGreaterThanOrEqual(20);
  }, 120_000);

  it('falls back to REST while the stream endpoint is down, and streams again once it is back', async () => {
    const until = async (check: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!check()) {
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    stack.sim.setFaults({ wsOutage: true });
    await until(() => stack.sim.status().streams.connections === 0, 5_000);
    // Two 5m closes pass with no stream: the stored 5m series go stale.
    await new Promise((r) => setTimeout(r, 11_000));
    const during = await cycle(`scan-adhoc-streams-outage-${Date.now()}`);
    expect(during.symbolsScanned).toBe(20);
    expect(during.failures).toEqual([]);
    // Every 5m series went stale with no stream to extend it: REST answered them
    // (1h series the streams had extended before are still fresh, and answer from the store).
    expect(during.stats.answers.rest).toBeGreaterThanOrEqual(20);
    expect(during.stats.restRequests).toBeGreaterThanOrEqual(20);
    expect(stack.sim.stats.faults.wsRefused).toBeGreaterThan(0);

    stack.sim.setFaults({ wsOutage: false });
    await until(() => stack.sim.status().streams.subscriptions === 60, 45_000);
    // Candles that closed during the outage never reach a stream: the next cycle refills
    // those gaps from REST, and from there the streams extend the series again.
    await new Promise((r) => setTimeout(r, 6_000));
    const refill = await cycle(`scan-adhoc-streams-refill-${Date.now()}`);
    expect(refill.failures).toEqual([]);
    await new Promise((r) => setTimeout(r, 11_000));
    const after = await cycle(`scan-adhoc-streams-back-${Date.now()}`);
    console.log(
      `stream outage: ${JSON.stringify(during.stats.answers)} during, ${JSON.stringify(refill.stats.answers)} refill, ${JSON.stringify(after.stats.answers)} after`,
    );
    expect(after.failures).toEqual([]);
    expect(after.stats.answers.stream).toBeGreaterThanOrEqual(20);
  }, 180_000);
});
