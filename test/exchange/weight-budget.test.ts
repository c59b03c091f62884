import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectExchange } from '../../src/exchange/ccxt-factory.js';
import { MarketClient } from '../../src/exchange/market-client.js';
import { LocalWeightBudget } from '../../src/exchange/weight-budget.js';
import type { Simulator } from '../../src/simulator/server.js';
import { startTestSimulator } from '../helpers/simulator.js';

describe('the weight budget', () => {
  it('lets a burst through at once, then waits until the oldest spending leaves the window', async () => {
    const clock = { t: 0 };
    const budget = new LocalWeightBudget(10, 60_000, () => clock.t);
    for (let i = 0; i < 10; i++) (await budget.acquire(1)).settle();
    let granted = false;
    const next = budget.acquire(1).then((spend) => {
      granted = true;
      return spend;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(granted).toBe(false);
    clock.t = 60_001;
    await next;
    expect(granted).toBe(true);
  });

  it('counts from when the answer arrived, and takes the exchange count when it is higher', async () => {
    const clock = { t: 0 };
    const budget = new LocalWeightBudget(10, 1_000, () => clock.t);
    const spend = await budget.acquire(4);
    clock.t = 5_000; // still in flight: not expired
    expect(budget.usedWeight).toBe(4);
    spend.settle();
    clock.t = 5_999;
    expect(budget.usedWeight).toBe(4);
    clock.t = 6_001;
    expect(budget.usedWeight).toBe(0);
    budget.observeUsed(7); // another process on the same IP
    expect(budget.usedWeight).toBe(7);
  });
});

describe('a market client on a budget, against the simulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startTestSimulator({ symbols: 10, weightLimit: 30, weightWindowMs: 2_000, latencyMs: 20 });
  });
  afterAll(() => sim.close());

  it('paces 90 concurrent requests under the limit: no 429, no 418, nothing lost', async () => {
    const market = new MarketClient(
      await connectExchange({ kind: 'simulator', url: sim.url, enableRateLimit: false }),
      {
        budget: new LocalWeightBudget(28, 2_000),
      },
    );
    await market.perpetuals();
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 90 }, () => market.candles('BTC/USDT:USDT', '5m', 10)),
    );
    expect(results.every((r) => r.length === 10)).toBe(true);
    expect(sim.stats.byStatus['429']).toBeUndefined();
    expect(sim.stats.byStatus['418']).toBeUndefined();
    // 91 weight through a 28-per-2-s window takes at least three windows.
    expect(Date.now() - started).toBeGreaterThan(5_500);
    await market.close();
  });
});
