import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCacheRedisClient } from '../../src/cache/redis-connection.js';
import { loadConfig } from '../../src/config.js';
import { connectExchange } from '../../src/exchange/ccxt-factory.js';
import { MarketClient } from '../../src/exchange/market-client.js';
import { RedisWeightBudget } from '../../src/exchange/redis-weight-budget.js';
import { PROJECT_ROOT } from '../../src/project-root.js';
import type { Simulator } from '../../src/simulator/server.js';
import { startTestSimulator } from '../helpers/simulator.js';

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

  it('holds every client while a 429 pause is set', async () => {
    const redis = createCacheRedisClient(REDIS_URL);
    while (!redis.isReady) await new Promise((r) => setTimeout(r, 10));
    const budget = new RedisWeightBudget(redis, { name: `test-pause-${Date.now()}`, limit: 100 });
    budget.pauseFor(400);
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    (await budget.acquire(1)).settle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    redis.destroy();
  });

  describe('two workers against the simulator', () => {
    let sim: Simulator;
    beforeAll(async () => {
      sim = await startTestSimulator({ symbols: 10, weightLimit: 30, weightWindowMs: 2_000, latencyMs: 20 });
    });
    afterAll(() => sim.close());

    it('draw 120 requests through one budget with no 429 and no 418', async () => {
      const name = `test-two-workers-${Date.now()}`;
      const workers = await Promise.all(
        [0, 1].map(async () => {
          const redis = createCacheRedisClient(REDIS_URL);
          while (!redis.isReady) await new Promise((r) => setTimeout(r, 10));
          const budget = new RedisWeightBudget(redis, { name, limit: 28, windowMs: 2_000 });
          const market = new MarketClient(
            await connectExchange({ kind: 'simulator', url: sim.url, enableRateLimit: false }),
            { budget },
          );
          return { redis, market };
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
        redis.destroy();
      }
    }, 60_000);
  });
});
