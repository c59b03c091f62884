import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities/create-activities.js';
import { loadConfig } from '../../src/config.js';
import type { Simulator } from '../../src/simulator/server.js';
import { createWorkerDeps, type WorkerDeps } from '../../src/worker/worker-deps.js';
import { startTestSimulator } from '../helpers/simulator.js';

const silent = pino({ level: 'silent' });

/** listSymbols on the simulator through the worker's own wiring: the listing, then the filter (unit-tested in market-data/universe). */
describe('listSymbols', () => {
  let sim: Simulator;
  let built: WorkerDeps;

  beforeAll(async () => {
    sim = await startTestSimulator({ symbols: 60 });
    built = await createWorkerDeps(
      loadConfig(process.env, { EXCHANGE_URL: sim.url, STREAMS: 'off' }),
      silent,
    );
  });
  afterAll(async () => {
    await built.close();
    await sim.close();
  });

  it('lists the active USDT perpetuals only (no USDC, no quarterly, no SETTLING)', async () => {
    const { symbols } = await createActivities(built.deps).listSymbols({});
    expect(symbols).toHaveLength(60);
    expect(symbols.every((s) => s.endsWith('/USDT:USDT'))).toBe(true);
  });

  it('applies include, exclude and the minimum 24h quote volume', async () => {
    const included = await createActivities({
      ...built.deps,
      universe: { include: ['BTCUSDT', 'eth/usdt:usdt', 'SOLUSDT'], exclude: ['SOLUSDT'], minQuoteVolume: 0 },
    }).listSymbols({});
    expect(included.symbols.sort()).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    const liquid = await createActivities({
      ...built.deps,
      universe: { include: [], exclude: [], minQuoteVolume: 1e9 },
    }).listSymbols({});
    // The leaders trade billions a day; generated names at most a few hundred million.
    expect(liquid.symbols.length).toBeGreaterThan(0);
    expect(liquid.symbols.length).toBeLessThan(15);
    expect(liquid.symbols).toContain('BTC/USDT:USDT');
  });
});

describe('fetchCandles without Redis', () => {
  it('still fetches every symbol (memory and REST) and says the cache was degraded', async () => {
    const sim = await startTestSimulator({ symbols: 10 });
    const built = await createWorkerDeps(
      loadConfig(process.env, { EXCHANGE_URL: sim.url, REDIS_URL: 'redis://127.0.0.1:1', STREAMS: 'off' }),
      silent,
    );
    try {
      const activities = createActivities(built.deps);
      const symbols = ['BTC/USDT:USDT', 'ETH/USDT:USDT'];
      const request = (cycleId: string) => ({
        cycleId,
        symbols,
        timeframes: ['1h', '5m'] as const,
        candleLimit: 99,
      });
      const first = await activities.fetchCandles({ ...request('c'), timeframes: ['1h', '5m'] });
      expect(first.stored).toEqual(symbols);
      expect(first.stats.cacheDegraded).toBe(true);
      expect(first.stats.answers.rest).toBe(4);
      // The worker's memory still serves the next cycle.
      const second = await activities.fetchCandles({ ...request('c2'), timeframes: ['1h', '5m'] });
      expect(second.stats.answers.l1).toBeGreaterThanOrEqual(2);
      const analyzed = await activities.analyzeBatch({ ...request('c'), timeframes: ['1h', '5m'] });
      expect(analyzed.failures).toEqual([]);
    } finally {
      await built.close();
      await sim.close();
    }
  });
});
