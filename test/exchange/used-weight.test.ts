import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerReader } from '../../src/exchange/market-client.js';
import { LocalWeightBudget } from '../../src/exchange/weight-budget.js';
import type { Simulator } from '../../src/simulator/server.js';
import { simulatorMarketClient } from '../helpers/market-client.js';
import { startTestSimulator } from '../helpers/simulator.js';

/**
 * Binance counts weight per IP, whoever sends it: the budget must adopt the
 * exchange's X-MBX-USED-WEIGHT-1M, as ccxt hands it over, or it would send a
 * burst the exchange answers with 429.
 */
describe("the exchange's used-weight header", () => {
  let sim: Simulator;
  beforeAll(async () => {
    // 60 weight per 5 s for the IP; the product keeps a margin (50).
    sim = await startTestSimulator({ symbols: 5, weightLimit: 60, weightWindowMs: 5_000 });
  });
  afterAll(() => sim.close());

  it('is read whatever its case', () => {
    for (const name of ['X-MBX-USED-WEIGHT-1M', 'x-mbx-used-weight-1m', 'X-Mbx-Used-Weight-1m'])
      expect(headerReader({ [name]: '42' })('x-mbx-used-weight-1m')).toBe('42');
    expect(headerReader({})('x-mbx-used-weight-1m')).toBeUndefined();
  });

  it('makes the budget adopt what another client on the same IP spent, before a burst that would provoke a 429', async () => {
    const budget = new LocalWeightBudget(50, 5_000);
    const market = await simulatorMarketClient(sim.url, budget);
    try {
      // Someone else on this IP (another process, another tool) spends 45 weight: 9 klines of limit 500 (weight 5 each).
      for (let i = 0; i < 9; i++) {
        const response = await fetch(`${sim.url}/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=500`);
        expect(response.status).toBe(200);
      }
      expect(await budget.usedWeight()).toBe(0); // our budget knows nothing of it yet
      await market.serverNow(); // one request of ours (weight 1) brings the exchange's count back
      expect(market.counters.usedWeight).toBe(46);
      expect(await budget.usedWeight()).toBe(46);
      // A burst of 20: 46 + 20 = 66 > 60 would be answered 429 without the correction; with it, it is paced.
      const started = Date.now();
      const burst = await Promise.all(
        Array.from({ length: 20 }, () => market.candles('ETH/USDT:USDT', '5m', 10)),
      );
      expect(burst.every((candles) => candles.length === 10)).toBe(true);
      expect(sim.stats.byStatus['429']).toBeUndefined();
      expect(sim.stats.byStatus['418']).toBeUndefined();
      expect(Date.now() - started).toBeGreaterThan(3_000); // it waited for the window
    } finally {
      await market.close();
    }
  }, 30_000);
});
