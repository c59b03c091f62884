import { setTimeout } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectExchange } from '../../src/exchange/ccxt-factory.js';
import { MarketClient } from '../../src/exchange/market-client.js';
import { LocalWeightBudget } from '../../src/exchange/weight-budget.js';
import type { Simulator } from '../../src/simulator/server.js';
import { startTestSimulator } from '../helpers/simulator.js';

/**
 * The product reads closes by the exchange's clock, estimated from
 * /fapi/v1/time against the midpoint of the request. A network splits a
 * request's latency between its legs, and so does the simulator: the
 * estimate must then be the exchange's clock within a few milliseconds,
 * however long the latency (a simulator that stamped serverTime on arrival
 * and put its whole latency on the answer put the estimate half a latency,
 * here 150 ms, behind).
 */
describe("the exchange's clock, as the market client estimates it", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startTestSimulator({ symbols: 2, latencyMs: 300, jitterMs: 0 });
  });
  afterAll(() => sim.close());

  it('is the simulator clock within 25 ms, with 300 ms of latency', async () => {
    const exchange = await connectExchange({
      kind: 'simulator',
      url: sim.url,
      enableRateLimit: false,
      timeoutMs: 10_000,
    });
    // clockCheckMs 0: every call measures (5 ms apart). The first request also
    // opens the connection, a cost of the sending leg alone (it put the
    // estimate ~24 ms ahead); the second is the steady state.
    const market = new MarketClient(exchange, {
      budget: new LocalWeightBudget(2_000, 60_000),
      clockCheckMs: 0,
      marketsMaxAgeMs: 0,
    });
    try {
      await market.serverNow();
      await setTimeout(5);
      const estimate = await market.serverNow();
      expect(Math.abs(estimate - sim.clock.now())).toBeLessThan(25);
    } finally {
      await market.close();
    }
  });
});
