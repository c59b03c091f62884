import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type ActivityDeps } from '../../src/activities/create-activities.js';
import { loadConfig } from '../../src/config.js';
import { createActivityDeps } from '../../src/runtime/activity-deps.js';
import type { Simulator } from '../../src/simulator/server.js';
import type { CycleReport } from '../../src/scan/types.js';
import { startTestSimulator } from '../helpers/simulator.js';

/** The universe filter and the report store, on the simulator and the machine's Redis. */
describe('listSymbols and saveReport', () => {
  let sim: Simulator;
  let deps: ActivityDeps;
  let built: Awaited<ReturnType<typeof createActivityDeps>>;

  beforeAll(async () => {
    sim = await startTestSimulator({ symbols: 60 });
    built = await createActivityDeps(loadConfig(process.env, { EXCHANGE_URL: sim.url, REPORTS_KEEP: '3' }));
    deps = built.deps;
  });
  const written: string[] = [];
  afterAll(async () => {
    // Dated a year ahead to be the newest: remove them, or they would stay "latest".
    await deps.reports.remove(written);
    await built.close();
    await sim.close();
  });

  it('lists the active USDT perpetuals only (no USDC, no quarterly, no SETTLING)', async () => {
    const { symbols } = await createActivities(deps).listSymbols({});
    expect(symbols).toHaveLength(60);
    expect(symbols.every((s) => s.endsWith('/USDT:USDT'))).toBe(true);
  });

  it('applies include, exclude and the minimum 24h quote volume', async () => {
    const included = await createActivities({
      ...deps,
      universe: { include: ['BTCUSDT', 'eth/usdt:usdt', 'SOLUSDT'], exclude: ['SOLUSDT'], minQuoteVolume: 0 },
    }).listSymbols({});
    expect(included.symbols.sort()).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    const liquid = await createActivities({
      ...deps,
      universe: { include: [], exclude: [], minQuoteVolume: 1e9 },
    }).listSymbols({});
    // The leaders trade billions a day; generated names at most a few hundred million.
    expect(liquid.symbols.length).toBeGreaterThan(0);
    expect(liquid.symbols.length).toBeLessThan(15);
    expect(liquid.symbols).toContain('BTC/USDT:USDT');
  });

  it('keeps the last N reports, newest first', async () => {
    const activities = createActivities(deps);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const cycleId = `scan-adhoc-keep-${Date.now()}-${i}`;
      ids.push(cycleId);
      written.push(cycleId);
      const report = {
        cycleId,
        startedAt: new Date(Date.now() + 86_400_000 * 365 + i * 1000).toISOString(),
      } as CycleReport;
      expect(await activities.saveReport(report)).toEqual({ saved: true });
    }
    expect(await deps.reports.recent(10)).toEqual(ids.slice(2).reverse());
    expect(await deps.reports.get(ids[0]!)).toBeUndefined();
    expect((await deps.reports.get(ids[4]!))?.cycleId).toBe(ids[4]);
  });
});

describe('fetchCandles without Redis', () => {
  it('still fetches every symbol (memory and REST) and says the cache was degraded', async () => {
    const sim = await startTestSimulator({ symbols: 10 });
    const built = await createActivityDeps(
      loadConfig(process.env, { EXCHANGE_URL: sim.url, REDIS_URL: 'redis://127.0.0.1:1' }),
    );
    try {
      const activities = createActivities(built.deps);
      const symbols = ['BTC/USDT:USDT', 'ETH/USDT:USDT'];
      const first = await activities.fetchCandles({
        cycleId: 'c',
        symbols,
        timeframes: ['1h', '5m'],
        candleLimit: 99,
      });
      expect(first.stored).toEqual(symbols);
      expect(first.stats.cacheDegraded).toBe(true);
      expect(first.stats.sources.rest).toBe(4);
      // The worker's memory still serves the next cycle.
      const second = await activities.fetchCandles({
        cycleId: 'c2',
        symbols,
        timeframes: ['1h', '5m'],
        candleLimit: 99,
      });
      expect(second.stats.l1Hits).toBeGreaterThanOrEqual(2);
      const analyzed = await activities.analyzeBatch({
        cycleId: 'c',
        symbols,
        timeframes: ['1h', '5m'],
        candleLimit: 99,
      });
      expect(analyzed.failures).toEqual([]);
    } finally {
      await built.close();
      await sim.close();
    }
  });
});
