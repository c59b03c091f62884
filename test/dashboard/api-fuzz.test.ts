import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type Dashboard, startDashboard } from '../../src/dashboard/server.js';
import { type DashboardSources, openSources } from '../../src/dashboard/sources.js';
import { lcg } from '../analysis/candle-fixtures.js';
import { report, signal, T0 } from '../storage/ledger-fixtures.js';

/**
 * Schema-driven fuzzing of the dashboard's API over HTTP, in the manner of
 * schemathesis: every route and parameter of its own OpenAPI document, each
 * asked for with values the schema allows, values at and past its bounds,
 * and hostile text; none may answer 5xx, and every refusal is JSON with a
 * one-line reason. Seeded (FUZZ_SEED), so a failure can be run again.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 7);
const PER_ROUTE = 250;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: { type?: string; enum?: string[]; minimum?: number; maximum?: number; default?: unknown };
}

const HOSTILE = [
  '',
  ' ',
  '-1',
  '0',
  '1e9',
  '9'.repeat(40),
  'NaN',
  'Infinity',
  'true',
  'null',
  '[]',
  '{"a":1}',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  '\u0000',
  '😀'.repeat(30),
  'BTC/USDT:USDT',
  'btcusdt',
  'x'.repeat(5_000),
  '<script>alert(1)</script>',
];

describe('the dashboard API under schema-driven fuzzing', () => {
  let dashboard: Dashboard;
  let sources: DashboardSources;
  let paths: Record<string, { get: { parameters?: Parameter[] } }>;

  beforeAll(async () => {
    const config = loadConfig(process.env, {
      EXCHANGE: 'simulator',
      EXCHANGE_URL: 'http://127.0.0.1:65002',
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      METRICS_PORT: '0',
      DASHBOARD_PORT: '0',
    });
    sources = await openSources(config);
    await sources.ledger.recordCycle({
      report: report('fuzz-1', T0, [signal('BTC/USDT:USDT'), signal('ETH/USDT:USDT', 'SHORT')]),
      outcomes: [],
      now: T0,
    });
    dashboard = await startDashboard(config, sources);
    const doc = (await (await fetch(new URL('/api/openapi.json', dashboard.url))).json()) as {
      paths: typeof paths;
    };
    paths = doc.paths;
  });
  afterAll(async () => {
    await dashboard?.close();
    await sources?.close();
  });

  it('answers every generated request of every route without a 5xx', async () => {
    const random = lcg(SEED);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const valueFor = (p: Parameter): string => {
      const s = p.schema ?? {};
      const roll = random();
      if (roll < 0.25) return pick(HOSTILE);
      if (s.enum) return roll < 0.8 ? pick(s.enum) : `${pick(s.enum)}x`;
      if (s.type === 'integer') {
        const min = s.minimum ?? 0;
        const max = s.maximum ?? 1e9;
        return String(pick([min, max, min - 1, max + 1, Math.floor(min + random() * (max - min))]));
      }
      return pick(['BTC/USDT:USDT', 'ETHUSDT', 'SOL/USDT:USDT', 'NOPE/USDT:USDT', 'true', 'false']);
    };
    let requests = 0;
    const statuses = new Map<number, number>();
    for (const [path, item] of Object.entries(paths)) {
      const parameters = (item.get.parameters ?? []).filter((p) => p.in === 'query');
      for (let i = 0; i < PER_ROUTE; i++) {
        const query = new URLSearchParams();
        for (const p of parameters) if (p.required || random() < 0.7) query.append(p.name, valueFor(p));
        if (random() < 0.1)
          query.append(pick(parameters.map((p) => p.name).concat('unknown')), pick(HOSTILE));
        const target = `${path}?${query.toString()}`;
        const response = await fetch(new URL(target, dashboard.url));
        requests++;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status, target).toBeLessThan(500);
        expect(response.headers.get('content-type'), target).toMatch(/^application\/json/);
        const body = (await response.json()) as { error?: string };
        if (response.status >= 400) expect(body.error, target).toMatch(/^[^\n]{1,400}$/);
      }
    }
    console.log(JSON.stringify({ requests, statuses: Object.fromEntries(statuses) }));
    expect(statuses.get(200)).toBeGreaterThan(requests / 4);
    expect(statuses.get(400)).toBeGreaterThan(0);
  }, 120_000);

  it('serves nothing outside the page: traversal and odd paths are refused, never a file of the project', async () => {
    for (const path of [
      '/../package.json',
      '/..%2fpackage.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/api/..%2f..%2f',
      '/.env',
    ]) {
      const response = await fetch(new URL(path, dashboard.url));
      const text = await response.text();
      expect(response.status, path).toBeLessThan(500);
      expect(text, path).not.toMatch(/"name": "market-scanner"|root:x:0:0/);
    }
  });
});
