import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { RedisWeightBudget } from '../../src/exchange/redis-weight-budget.js';
import type { Simulator } from '../../src/simulator/server.js';
import { closeRedis, createRedisClient, whenRedisReady } from '../../src/storage/redis-connection.js';
import { simulatorMarketClient } from '../helpers/market-client.js';
import { startTestSimulator } from '../helpers/simulator.js';
import { describeWeightBudgetContract } from './weight-budget.contract.js';

const REDIS_URL = loadConfig(process.env, {}, { requireExchangeUrl: false }).REDIS_URL;

function runBudgetProcess(
  name: string,
  limit: number,
  windowMs: number,
  count: number,
): Promise<{ grants: number[]; fallbacks: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      `${PROJECT_ROOT}/node_modules/.bin/tsx`,
      ['test/helpers/budget-process.ts', name, String(limit), String(windowMs), String(count)],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, REDIS_URL },
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as { grants: number[]; fallbacks: number })
        : reject(new Error(`exit ${code}`)),
    );
  });
}

/** The most weight granted within any window of `windowMs`. */
function peak(grants: number[], windowMs: number): number {
  const sorted = [...grants].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describeWeightBudgetContract('RedisWeightBudget (every worker, through Redis)', async (limit, windowMs) => {
  const redis = createRedisClient(REDIS_URL);
  await whenRedisReady(redis, 3_000);
  const exchangeId = `test-contract-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  return {
    budget: new RedisWeightBudget(redis, { exchangeId, limit, windowMs }),
    close: () => closeRedis(redis),
  };
});

describe('one weight budget in Redis for every worker', () => {
  it('two processes sharing it never exceed the limit together', async () => {
    const name = `test-two-processes-${Date.now()}`;
    const [a, b] = await Promise.all([
      runBudgetProcess(name, 20, 1_000, 40),
      runBudgetProcess(name, 20, 1_000, 40),
    ]);
    expect(a.fallbacks + b.fallbacks).toBe(0);
    const all = [...a.grants, ...b.grants];
    expect(all).toHaveLength(80);
    expect(peak(all, 1_000)).toBeLessThanOrEqual(20);
    // Both drew from it: neither starved the other.
    expect(a.grants.length).toBe(40);
    expect(Math.max(...all) - Math.min(...all)).toBeGreaterThan(2_900); // 80 weight through 20 per second
  }, 60_000);

  it('leases weight in blocks: 600 concurrent requests cost a few dozen round trips, and count exactly', async () => {
    const redis = createRedisClient(REDIS_URL);
    await whenRedisReady(redis, 3_000);
    const budget = new RedisWeightBudget(redis, { exchangeId: `test-leases-${Date.now()}`, limit: 2_400 });
    const spends = await Promise.all(Array.from({ length: 600 }, () => budget.acquire(1)));
    for (const spend of spends) spend.settle();
    // Blocks of up to 60 (1/40 of the limit): one round trip for each, not one per request.
    expect(budget.leases).toBeGreaterThanOrEqual(10);
    expect(budget.leases).toBeLessThanOrEqual(40);
    await new Promise((r) => setTimeout(r, 100));
    expect(await budget.usedWeight()).toBe(600);
    // A lone request later leases just its own weight: nothing held that it does not use.
    (await budget.acquire(3)).settle();
    await new Promise((r) => setTimeout(r, 100));
    expect(await budget.usedWeight()).toBe(603);
    await closeRedis(redis);
  });

  it('holds a second worker while the first one met a 429 (the pause is shared)', async () => {
    const exchangeId = `test-pause-${Date.now()}`;
    const clients = [createRedisClient(REDIS_URL), createRedisClient(REDIS_URL)];
    for (const c of clients) await whenRedisReady(c, 3_000);
    const [first, second] = clients.map((redis) => new RedisWeightBudget(redis, { exchangeId, limit: 100 }));
    first!.pauseFor(400);
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    (await second!.acquire(1)).settle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    for (const c of clients) await closeRedis(c);
  });

  it('falls back to a local share of the limit while Redis is away', async () => {
    const redis = createRedisClient('redis://127.0.0.1:1');
    const budget = new RedisWeightBudget(redis, {
      exchangeId: `test-away-${Date.now()}`,
      limit: 10,
      windowMs: 600,
    });
    const started = Date.now();
    for (let i = 0; i < 5; i++) (await budget.acquire(1)).settle(); // half the limit at once
    expect(Date.now() - started).toBeLessThan(300);
    (await budget.acquire(1)).settle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    expect(budget.fallbacks).toBe(6);
    expect(await budget.usedWeight()).toBe(1); // the first five have left the window
    await closeRedis(redis);
  });

  describe('two workers against the simulator', () => {
    let sim: Simulator;
    beforeAll(async () => {
      sim = await startTestSimulator({ symbols: 10, weightLimit: 30, weightWindowMs: 2_000, latencyMs: 20 });
    });
    afterAll(() => sim.close());

    it('draw 120 requests through one budget with no 429 and no 418', async () => {
      const exchangeId = `test-two-workers-${Date.now()}`;
      const workers = await Promise.all(
        [0, 1].map(async () => {
          const redis = createRedisClient(REDIS_URL);
          await whenRedisReady(redis, 3_000);
          const budget = new RedisWeightBudget(redis, { exchangeId, limit: 28, windowMs: 2_000 });
          return { redis, market: await simulatorMarketClient(sim.url, budget) };
        }),
      );
      const results = await Promise.all(
        workers.flatMap(({ market }) =>
          Array.from({ length: 60 }, () => market.candles('ETH/USDT:USDT', '5m', 5)),
        ),
      );
      expect(results.every((r) => r.length === 5)).toBe(true);
      expect(sim.stats.byStatus['429']).toBeUndefined();
      expect(sim.stats.byStatus['418']).toBeUndefined();
      for (const { redis, market } of workers) {
        await market.close();
        await closeRedis(redis);
      }
    }, 60_000);
  });
});
