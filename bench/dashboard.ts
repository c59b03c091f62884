/**
 * `npm run bench:dashboard`: how quick the dashboard is with a full market
 * and a long ledger. A ledger (SQLite, in a temporary directory) holding 90
 * days of cycles at one every 5 minutes (25,920) with ten resolved signals
 * each (259,200), and a latest cycle of 530 symbols with 60 ranked signals;
 * the candle store holding 530 symbols × 1h, 15m, 5m (99 candles each) in
 * Redis. Then, on the dashboard served as `npm run dashboard` serves it:
 * each API route under load (autocannon, 10 connections, 5 s each: p50,
 * p97.5 and p99 latency, which bound the p95 from above) after one request
 * that fills its cache; the first, uncached answer of the routes that read
 * much of the ledger; and the page's first paint and first rendered signal
 * table in headless Chromium (median of 5 fresh loads). Prints a table and
 * writes docs/dashboard-bench.json.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { chromium } from 'playwright-core';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { PAGE_DIR, startDashboard } from '../src/dashboard/server.js';
import { openSources } from '../src/dashboard/sources.js';
import { CandleStore } from '../src/storage/candle-store.js';
import { closeRedis, createRedisClient, whenRedisReady } from '../src/storage/redis-connection.js';
import { exchangeIdOf } from '../src/storage/redis-keys.js';
import { randomWalkCandles } from '../test/analysis/candle-fixtures.js';
import { CHROMIUM_ARGS, findChromium } from '../test/helpers/chromium.js';
import { report, signal, STEP } from '../test/storage/ledger-fixtures.js';
import { seedHistory } from './ledger-cost.js';

const DAYS = 90;
const SYMBOLS = 530;
const NOW = Date.now();
const say = (line: string) => console.error(`[bench:dashboard] ${line}`);
const round = (ms: number) => Math.round(ms * 10) / 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-dashboard-'));
  const config = loadConfig(process.env, {
    DATA_DIR: dataDir,
    EXCHANGE: 'simulator',
    EXCHANGE_URL: 'http://127.0.0.1:65003',
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    METRICS_PORT: '0',
    DASHBOARD_PORT: '0',
  });
  const sources = await openSources(config);
  say(`seeding ${DAYS} days of ledger (${(DAYS * 86_400_000) / STEP} cycles, 10 resolved signals each)`);
  const seeded = Date.now();
  await seedHistory({ sqliteFile: path.join(dataDir, 'ledger.sqlite') }, DAYS, NOW - STEP);
  const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${i}/USDT:USDT`);
  await sources.ledger.recordCycle({
    report: report(
      'bench-latest',
      NOW - 10_000,
      symbols.slice(0, 60).map((s, i) => signal(s, i % 3 ? 'LONG' : 'SHORT', 95 - i)),
      { symbolsRequested: SYMBOLS, symbolsScanned: SYMBOLS, failures: [] },
    ),
    outcomes: [],
    now: NOW,
  });
  say(`ledger seeded in ${Math.round((Date.now() - seeded) / 1000)} s`);
  const redis = createRedisClient(config.REDIS_URL);
  await whenRedisReady(redis, 5_000);
  const store = new CandleStore(redis, exchangeIdOf(config), { l1Size: 10 });
  for (const [i, symbol] of symbols.entries())
    for (const timeframe of ['1h', '15m', '5m'] as const)
      await store.set(symbol, timeframe, randomWalkCandles(99, i * 3 + timeframe.length, 100), 3_600_000);
  await closeRedis(redis);

  const dashboard = await startDashboard(config, sources);
  const url = (p: string) => new URL(p, dashboard.url).toString();
  const routes = [
    '/api/latest',
    '/api/cycles?limit=50',
    '/api/signals?open=true&limit=200',
    '/api/signals?open=false&limit=50',
    '/api/performance?sinceMs=2592000000&by=direction',
    '/api/performance?sinceMs=7776000000&by=day',
    '/api/health?limit=100',
    '/api/candles?symbol=S7/USDT:USDT&timeframe=5m',
    '/api/alerts?limit=20',
    '/',
  ];
  const cold: Record<string, number> = {};
  for (const route of [
    '/api/performance?sinceMs=2592000000&by=direction',
    '/api/performance?sinceMs=7776000000&by=day',
    '/api/health?limit=100',
  ]) {
    const began = performance.now();
    await (await fetch(url(route))).text();
    cold[route] = round(performance.now() - began);
  }
  const load: Array<{
    route: string;
    requests: number;
    p50: number;
    p97_5: number;
    p99: number;
    non2xx: number;
  }> = [];
  for (const route of routes) {
    await (await fetch(url(route))).text();
    const result = await autocannon({ url: url(route), connections: 10, duration: 5 });
    load.push({
      route,
      requests: result.requests.total,
      p50: result.latency.p50,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      non2xx: result.non2xx,
    });
    say(
      `${route}: p50 ${result.latency.p50} ms, p97.5 ${result.latency.p97_5} ms, ${result.requests.average} req/s`,
    );
  }

  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const paints: number[] = [];
  const tables: number[] = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const began = Date.now();
    await page.goto(dashboard.url);
    await page.waitForSelector('#signals tbody tr[data-symbol]');
    tables.push(Date.now() - began);
    paints.push(
      await page.evaluate(
        () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
      ),
    );
    await context.close();
  }
  await browser.close();
  await dashboard.close();
  await sources.close();

  const assets = readdirSync(path.join(PAGE_DIR, 'assets')).map((file) => {
    const bytes = readFileSync(path.join(PAGE_DIR, 'assets', file));
    return { file, bytes: statSync(path.join(PAGE_DIR, 'assets', file)).size, gzip: gzipSync(bytes).length };
  });
  const figures = {
    date: new Date().toISOString(),
    ledger: {
      days: DAYS,
      cycles: (DAYS * 86_400_000) / STEP + 1,
      resolvedSignals: ((DAYS * 86_400_000) / STEP) * 10,
    },
    coldMs: cold,
    load,
    page: {
      firstContentfulPaintMs: round(median(paints)),
      signalsTableMs: median(tables),
      runs: paints.length,
    },
    bundle: assets,
  };
  console.log('route                                               requests  p50 ms  p97.5 ms  p99 ms');
  for (const l of load)
    console.log(
      `${l.route.padEnd(50)} ${String(l.requests).padStart(9)} ${String(l.p50).padStart(7)} ${String(l.p97_5).padStart(9)} ${String(l.p99).padStart(7)}`,
    );
  console.log(`first answer, uncached: ${JSON.stringify(cold)}`);
  console.log(
    `page: first contentful paint ${figures.page.firstContentfulPaintMs} ms, signal table ${figures.page.signalsTableMs} ms (medians of 5)`,
  );
  console.log(`bundle: ${assets.map((a) => `${a.file} ${a.bytes} B (${a.gzip} B gzip)`).join(', ')}`);
  writeFileSync(
    path.join(PROJECT_ROOT, 'docs', 'dashboard-bench.json'),
    `${JSON.stringify(figures, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(`bench:dashboard: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
