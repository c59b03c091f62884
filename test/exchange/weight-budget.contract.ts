import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeightBudget } from '../../src/exchange/weight-budget.js';
import type { Simulator } from '../../src/simulator/server.js';
import { simulatorMarketClient } from '../helpers/market-client.js';
import { startTestSimulator } from '../helpers/simulator.js';

/** One budget of `limit` weight per `windowMs`, new for each test, and how to let it go. */
export type MakeBudget = (
  limit: number,
  windowMs: number,
) => Promise<{ budget: WeightBudget; close(): Promise<void> }>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What every WeightBudget does, whichever implementation (hono's
 * common.case.test.ts pattern: each implementation's test file calls this).
 * Real time, short windows.
 */
export function describeWeightBudgetContract(name: string, make: MakeBudget): void {
  describe(`WeightBudget contract: ${name}`, () => {
    const opened: Array<() => Promise<void>> = [];
    const budgetOf = async (limit: number, windowMs: number) => {
      const made = await make(limit, windowMs);
      opened.push(() => made.close());
      return made.budget;
    };
    afterAll(async () => {
      for (const close of opened) await close();
    });

    it('lets a burst through at once, then waits until the oldest spend leaves the window', async () => {
      const budget = await budgetOf(10, 600);
      const started = Date.now();
      for (let i = 0; i < 10; i++) (await budget.acquire(1)).settle();
      expect(Date.now() - started).toBeLessThan(300);
      (await budget.acquire(1)).settle();
      expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    });

    it('counts a spend from when its answer arrived, not from when it was sent', async () => {
      const budget = await budgetOf(10, 400);
      const spend = await budget.acquire(4);
      await sleep(600); // still in flight: it has not left the window
      expect(await budget.usedWeight()).toBe(4);
      spend.settle();
      await sleep(200);
      expect(await budget.usedWeight()).toBe(4);
      await sleep(350);
      expect(await budget.usedWeight()).toBe(0);
    });

    it("adopts the exchange's count when it is higher (another process on the same IP)", async () => {
      const budget = await budgetOf(10, 1_000);
      (await budget.acquire(2)).settle();
      budget.observeUsed(7);
      await sleep(50); // a shared budget records it asynchronously
      expect(await budget.usedWeight()).toBe(7);
      budget.observeUsed(3); // lower: ours is the better estimate
      await sleep(50);
      expect(await budget.usedWeight()).toBe(7);
      const started = Date.now();
      (await budget.acquire(4)).settle(); // 7 + 4 > 10: waits for the window
      expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    });

    it('holds every request while the exchange asked to wait (429 Retry-After)', async () => {
      const budget = await budgetOf(100, 1_000);
      budget.pauseFor(400);
      await sleep(20);
      const started = Date.now();
      (await budget.acquire(1)).settle();
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    });

    describe('a market client on it, against the simulator', () => {
      let sim: Simulator;
      beforeAll(async () => {
        sim = await startTestSimulator({
          symbols: 10,
          weightLimit: 30,
          weightWindowMs: 2_000,
          latencyMs: 20,
        });
      });
      afterAll(() => sim.close());

      it('paces 90 concurrent requests under the limit: no 429, no 418, nothing lost', async () => {
        const market = await simulatorMarketClient(sim.url, await budgetOf(28, 2_000));
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
      }, 30_000);
    });
  });
}
