import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adhocCycleOptions } from '../../src/client/commands.js';
import { type Config, PROJECT_ROOT } from '../../src/config.js';
import type { CycleReport } from '../../src/contract/types.js';
import type { CandlePoint } from '../../src/dashboard/api-types.js';
import { type Dashboard, startDashboard } from '../../src/dashboard/server.js';
import { type DashboardSources, openSources } from '../../src/dashboard/sources.js';
import { CandleStore } from '../../src/storage/candle-store.js';
import { closeRedis, createRedisClient, whenRedisReady } from '../../src/storage/redis-connection.js';
import { exchangeIdOf } from '../../src/storage/redis-keys.js';
import { scanMarketWorkflow } from '../../src/workflows/index.js';
import { CHROMIUM_ARGS, findChromium } from '../helpers/chromium.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { until } from '../helpers/until.js';

const SCREENSHOTS = `${PROJECT_ROOT}/test-artifacts/dashboard`;
const executablePath = findChromium();
const skip = process.env.WEB_UI_TEST === 'off';

/** What the page exposes for tests (web/src/main.ts): the data it drew, read through the page. */
interface PageProbe {
  signalsShown(): Array<{ rank: number; symbol: string; direction: string; score: number }>;
  chartData(): {
    symbol: string;
    timeframe: string;
    candles: CandlePoint[];
    priceLines: Array<{ title: string; price: number }>;
  } | null;
  lastUpdate: string | undefined;
}

/**
 * The dashboard as a trader opens it, in headless Chromium, after real
 * cycles on the simulator (Temporal dev server, Redis, a worker): the table
 * holds the report's signals in its order, a signal's chart holds the
 * candle store's candles and its levels, and the page moves to the next
 * cycle by itself. Screenshots are kept in test-artifacts/dashboard.
 */
describe.skipIf(skip)('the dashboard in a browser, after real cycles', () => {
  let stack: Stack;
  let sources: DashboardSources;
  let dashboard: Dashboard;
  let browser: Browser;
  let page: Page;
  let first: CycleReport;
  const probe = <T>(read: (p: PageProbe) => T) =>
    page.evaluate<T>(`(${read.toString()})(window.__dashboard)`);
  const cycle = (): Promise<CycleReport> =>
    stack.env.client.workflow.execute(scanMarketWorkflow, {
      ...adhocCycleOptions(stack.config.TEMPORAL_TASK_QUEUE, `scan-adhoc-dash-${Date.now()}`, {
        trigger: 'adhoc',
      }),
    });

  beforeAll(async () => {
    if (!executablePath)
      throw new Error('chromium not found: apt-get install chromium, set CHROMIUM_PATH, or WEB_UI_TEST=off');
    // The page as `npm run build` builds it.
    execFileSync(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'error'],
      {
        cwd: PROJECT_ROOT,
        stdio: 'inherit',
      },
    );
    // A fixed start: the signals of 120 symbols then do not follow the wall clock (some moments give fewer than 3).
    stack = await startStack({
      sim: { symbols: 120, latencyMs: 5, startTime: Date.UTC(2026, 0, 5, 10, 1) },
      env: { SCAN_BATCH_SIZE: '60' },
    });
    first = await cycle();
    // The worker's configuration, and Temporal where the test's dev server is.
    const config: Config = {
      ...stack.config,
      TEMPORAL_ADDRESS: stack.env.address,
      DASHBOARD_PORT: 0,
      METRICS_PORT: 0,
    };
    sources = await openSources(config);
    dashboard = await startDashboard(config, sources);
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.goto(dashboard.url);
    await page.waitForSelector('#signals tbody tr[data-symbol]', { timeout: 20_000 });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await sources?.close();
    await stack?.stop();
  });

  it('shows exactly the latest report’s signals, in the report’s order', async () => {
    expect(first.signals.length).toBeGreaterThan(2);
    const shown = await probe((p) => p.signalsShown());
    expect(shown.map((s) => [s.rank, s.symbol, s.direction, s.score])).toEqual(
      first.signals.map((s, i) => [i + 1, s.symbol, s.direction, s.score]),
    );
    const rows = await page.evaluate<Array<[number, string]>>(
      `[...document.querySelectorAll('#signals tbody tr[data-symbol]')].map((tr) => [Number(tr.getAttribute('data-rank')), tr.getAttribute('data-symbol')])`,
    );
    expect(rows).toEqual(first.signals.map((s, i) => [i + 1, s.symbol]));
    await page.screenshot({ path: `${SCREENSHOTS}/signals.png`, fullPage: false });
  });

  it('draws a signal’s chart from the candle store’s own candles, with its entry, stop and target', async () => {
    const top = first.signals[0]!;
    await page.click(`#signals tbody tr[data-rank="1"]`);
    const chart = await until(
      () =>
        probe((p) => p.chartData()).then((c) =>
          c && c.symbol === top.symbol && c.candles.length > 0 ? c : undefined,
        ),
      20_000,
    );
    expect(chart.timeframe).toBe('5m');
    const redis = createRedisClient(stack.config.REDIS_URL);
    await whenRedisReady(redis, 5_000);
    const stored = await new CandleStore(redis, exchangeIdOf(stack.config), { l1Size: 1 }).shared(
      top.symbol,
      '5m',
    );
    await closeRedis(redis);
    expect(chart.candles.map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume])).toEqual(stored);
    const lines = Object.fromEntries(chart.priceLines.map((l) => [l.title, l.price]));
    expect(lines).toMatchObject({ entry: top.price, stop: top.stop, target: top.target });
    await page.screenshot({ path: `${SCREENSHOTS}/chart.png`, fullPage: false });
    await page.screenshot({ path: `${SCREENSHOTS}/page.png`, fullPage: true });
  });

  it('moves to the next cycle by itself when it is recorded', async () => {
    const next = await cycle();
    await until(() => probe((p) => p.lastUpdate).then((id) => id === next.cycleId), 20_000);
    const shown = await probe((p) => p.signalsShown());
    expect(shown.map((s) => s.symbol)).toEqual(next.signals.map((s) => s.symbol));
  }, 60_000);
});
