import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanMarketWorkflow } from '../../src/workflows/index.js';
import { REST_ERRORS } from '../../src/simulator/rest-errors.js';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * A full cold cycle while one request in ten meets one of Binance's
 * documented failures (503 -1001, 503 "Service Unavailable.", 408 -1007, a
 * load balancer's 502 page, a reset connection), and one symbol is delisted:
 * every failure is retried, and only the delisted symbol is lost.
 */
describe("a full cycle under Binance's documented failures at 10%", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      sim: { latencyMs: 0, faults: { errorRate: 0.1, errorKinds: [...REST_ERRORS], delisted: [] } },
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('loses no symbol but the delisted one', async () => {
    // Delisted after the worker loaded the listing: its candles answer -1121 (Invalid symbol).
    stack.sim.state.delist('DOGEUSDT');
    const report = await stack.env.client.workflow.execute(scanMarketWorkflow, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId: `faults-${Date.now()}`,
      args: [{}],
    });
    const injected = stack.sim.stats.snapshot().errors;
    console.log(`failures injected: ${JSON.stringify(injected)}; retries ${report.stats.retries}`);
    for (const kind of REST_ERRORS) expect(injected[kind], kind).toBeGreaterThan(10);
    expect(report.symbolsRequested).toBe(530);
    expect(report.failures).toEqual([
      {
        symbol: 'DOGE/USDT:USDT',
        reason: expect.stringMatching(/^UnknownSymbolError: .*Invalid symbol/) as string,
      },
    ]);
    expect(report.symbolsScanned).toBe(529);
    expect(report.stats.retries).toBeGreaterThan(100);
  }, 180_000);
});
