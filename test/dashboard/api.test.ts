import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import type {
  CandlesAnswer,
  HealthAnswer,
  LatestAnswer,
  PerformanceAnswer,
  SignalsAnswer,
} from '../../src/dashboard/api-types.js';
import { type Dashboard, startDashboard } from '../../src/dashboard/server.js';
import { type DashboardSources, openSources } from '../../src/dashboard/sources.js';
import { CandleStore } from '../../src/storage/candle-store.js';
import { closeRedis, createRedisClient, whenRedisReady } from '../../src/storage/redis-connection.js';
import { exchangeIdOf } from '../../src/storage/redis-keys.js';
import { randomWalkCandles } from '../analysis/candle-fixtures.js';
import { report, signal, STEP, T0, target } from '../storage/ledger-fixtures.js';

/**
 * The dashboard's API over HTTP, on a real ledger (this file's SQLite) and
 * the real Redis, with cycles recorded as saveReport records them. Temporal
 * is not running: the progress answers are empty, never an error.
 */
const TOKEN = 'a-dashboard-token-of-32-characters';

async function serve(
  env: Record<string, string>,
): Promise<{ dashboard: Dashboard; sources: DashboardSources; config: Config }> {
  const config = loadConfig(process.env, {
    EXCHANGE: 'simulator',
    EXCHANGE_URL: 'http://127.0.0.1:65001',
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    METRICS_PORT: '0',
    DASHBOARD_PORT: '0',
    ...env,
  });
  const sources = await openSources(config);
  return { dashboard: await startDashboard(config, sources), sources, config };
}

describe('the dashboard API', () => {
  let open: Awaited<ReturnType<typeof serve>>;
  let url: string;
  const get = async (path: string, init?: RequestInit) => {
    const response = await fetch(new URL(path, url), init);
    return { status: response.status, body: await response.json(), headers: response.headers };
  };

  beforeAll(async () => {
    open = await serve({});
    url = open.dashboard.url;
    const { ledger } = open.sources;
    const first = await ledger.recordCycle({
      report: report('c1', T0, [signal('BTC/USDT:USDT', 'LONG', 80), signal('ETH/USDT:USDT', 'SHORT', 70)]),
      outcomes: [],
      now: T0,
    });
    await ledger.recordCycle({
      report: report('c2', T0 + STEP, [signal('SOL/USDT:USDT', 'LONG', 90)], { closeToReportMs: 2_400 }),
      outcomes: [{ signalId: first.newSignals[0]!.id, outcome: target(T0 + STEP) }],
      now: T0 + STEP,
    });
    const redis = createRedisClient(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await whenRedisReady(redis, 5_000);
    const store = new CandleStore(redis, exchangeIdOf(open.config), { l1Size: 10 });
    await store.set('BTC/USDT:USDT', '5m', randomWalkCandles(98, 7, 97_000), 600_000);
    await closeRedis(redis);
  });
  afterAll(async () => {
    await open?.dashboard.close();
    await open?.sources.close();
  });

  it('latest: the last recorded report, with its Web UI link', async () => {
    const { status, body } = await get('/api/latest');
    expect(status).toBe(200);
    const latest = body as LatestAnswer;
    expect(latest.report?.cycleId).toBe('c2');
    expect(latest.report?.signals.map((s) => s.symbol)).toEqual(['SOL/USDT:USDT']);
    expect(latest.cycleUrl).toMatch(/\/namespaces\/default\/workflows\/c2$/);
  });

  it('signals and performance: what the ledger says, the cumulative R by outcome time', async () => {
    const open = (await get('/api/signals?open=true')).body as SignalsAnswer;
    expect(open.signals.map((s) => s.symbol).sort()).toEqual(['ETH/USDT:USDT', 'SOL/USDT:USDT']);
    const btc = (await get('/api/signals?symbol=BTCUSDT&open=false')).body as SignalsAnswer;
    expect(btc.signals.map((s) => s.outcome?.kind)).toEqual(['target']);
    const perf = (await get(`/api/performance?sinceMs=${400 * 86_400_000}&by=direction`))
      .body as PerformanceAnswer;
    expect(perf.total).toMatchObject({ signals: 3, resolved: 1, targets: 1 });
    expect(perf.groups.map((g) => g.key)).toEqual(['LONG', 'SHORT']);
    expect(perf.equity).toEqual([{ time: T0 + STEP, cumulativeR: 2 }]);
  });

  it('candles: the series the store holds, with EMAs and Bollinger Bands aligned; a series it lacks is a 404', async () => {
    const { status, body } = await get('/api/candles?symbol=BTC/USDT:USDT&timeframe=5m');
    expect(status).toBe(200);
    const series = body as CandlesAnswer;
    expect(series.candles).toHaveLength(98);
    expect(series.candles[0]).toEqual(
      expect.objectContaining({ time: expect.any(Number) as number, open: expect.any(Number) as number }),
    );
    for (const line of [
      series.ema9,
      series.ema21,
      series.ema50,
      series.bbUpper,
      series.bbMiddle,
      series.bbLower,
    ])
      expect(line).toHaveLength(98);
    expect(series.ema9[7]).toBeNull();
    expect(series.ema9[8]).not.toBeNull();
    expect(series.bbUpper[19]!).toBeGreaterThan(series.bbLower[19]!);
    const missing = await get('/api/candles?symbol=NOPE/USDT:USDT&timeframe=5m');
    expect(missing.status).toBe(404);
    expect((missing.body as { error: string }).error).toMatch(/holds no 5m series of NOPE\/USDT:USDT/);
  });

  it('health: recent cycles oldest first with their figures; the worker away is null, not an error', async () => {
    const health = (await get('/api/health')).body as HealthAnswer;
    expect(health.cycles.map((c) => c.cycleId)).toEqual(['c1', 'c2']);
    expect(health.cycles[1]).toMatchObject({ closeToReportMs: 2_400, symbolsScanned: 527, symbolsFailed: 3 });
    expect(health.weightLimit).toBe(open.config.EXCHANGE_WEIGHT_LIMIT);
    expect(health.streams).toBeNull();
    expect((await get('/api/progress')).body).toEqual({ running: [] });
  });

  it('a bad parameter is a 400 with a one-line reason naming it; an unknown endpoint a 404', async () => {
    for (const [path, reason] of [
      ['/api/cycles?limit=0', /^limit: /],
      ['/api/cycles?limit=abc', /^limit: must be a whole number/],
      ['/api/signals?open=maybe', /^open: /],
      ['/api/performance?by=week', /^by: /],
      ['/api/candles?symbol=BTC/USDT:USDT&timeframe=7m', /^timeframe: /],
      ['/api/candles?timeframe=5m', /^symbol: /],
    ] as const) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      const { error } = body as { error: string };
      expect(error, path).toMatch(reason);
      expect(error).not.toMatch(/\n|at .*\.ts/);
    }
    expect((await get('/api/nothing')).status).toBe(404);
  });

  it('describes itself in OpenAPI 3.1: every route the page uses, with its parameters', async () => {
    const doc = (await get('/api/openapi.json')).body as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/alerts',
      '/api/candles',
      '/api/cycles',
      '/api/health',
      '/api/latest',
      '/api/performance',
      '/api/progress',
      '/api/signals',
    ]);
  });
});

describe('the dashboard token', () => {
  let open: Awaited<ReturnType<typeof serve>>;
  afterAll(async () => {
    await open?.dashboard.close();
    await open?.sources.close();
  });

  it('refuses a request without it or with a wrong one (401, one line); takes it as a header, a query or its cookie', async () => {
    open = await serve({ DASHBOARD_TOKEN: TOKEN });
    const at = (path: string) => new URL(path, open.dashboard.url);
    for (const init of [{}, { headers: { Authorization: 'Bearer wrong-token-wrong-token-wrong' } }]) {
      const response = await fetch(at('/api/latest'), init);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: string }).error).toMatch(/needs its token/);
    }
    expect((await fetch(at('/api/latest?token=nope'))).status).toBe(401);
    expect((await fetch(at('/'))).status).toBe(401);
    expect((await fetch(at('/api/latest'), { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(
      200,
    );
    const withQuery = await fetch(at(`/api/latest?token=${TOKEN}`));
    expect(withQuery.status).toBe(200);
    const cookie = withQuery.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^dashboard_token=.*HttpOnly.*SameSite=Strict/i);
    const withCookie = await fetch(at('/api/signals'), { headers: { Cookie: cookie.split(';')[0]! } });
    expect(withCookie.status).toBe(200);
  });

  it('will not listen beyond loopback without a token', () => {
    expect(() =>
      loadConfig({ ...process.env, EXCHANGE_URL: 'http://127.0.0.1:9', DASHBOARD_HOST: '0.0.0.0' }, {}),
    ).toThrow(/^DASHBOARD_HOST: 0\.0\.0\.0 is reachable from other machines: set DASHBOARD_TOKEN/);
    expect(
      loadConfig(
        {
          ...process.env,
          EXCHANGE_URL: 'http://127.0.0.1:9',
          DASHBOARD_HOST: '0.0.0.0',
          DASHBOARD_TOKEN: TOKEN,
        },
        {},
      ).DASHBOARD_HOST,
    ).toBe('0.0.0.0');
  });
});
