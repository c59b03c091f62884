/**
 * @module
 * The dashboard's JSON API: one zod schema per route is both the boundary's
 * validation (a bad query parameter answers 400 with a one-line reason) and
 * the OpenAPI document (GET /api/openapi.json) the page is written against.
 * Answers come from the sources (sources.ts); what is costly to compute from
 * a long ledger (performance, health) is kept until the next cycle is
 * recorded (answer-cache.ts).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { performance, type PerformanceGrouping, type PerformanceRow } from '../analysis/performance.js';
import { bollingerSeries, emaSeries } from '../analysis/indicators.js';
import { type Config, cycleUrl } from '../config.js';
import { unifiedPerpetualSymbol } from '../core/markets.js';
import { SUPPORTED_TIMEFRAMES } from '../core/timeframes.js';
import type { AnswerCache } from './answer-cache.js';
import type {
  AlertsAnswer,
  CandlesAnswer,
  CyclesAnswer,
  EquityPoint,
  HealthAnswer,
  LatestAnswer,
  PerformanceAnswer,
  ProgressAnswer,
  SignalsAnswer,
} from './api-types.js';
import type { DashboardSources } from './sources.js';

const DAY_MS = 86_400_000;
const GROUPINGS = [
  'direction',
  'score',
  'agreement',
  'day',
] as const satisfies readonly PerformanceGrouping[];

/** Query parameters arrive as text: whole numbers in a range, written as digits only. */
const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min).max(max))
    .optional()
    .default(fallback)
    .openapi({ type: 'integer', minimum: min, maximum: max, default: fallback });

const flag = z.enum(['true', 'false']).optional();

/**
 * Any JSON object: the answers' deep parts are typed in api-types.ts (each
 * handler builds its answer as that type); the document names their top
 * level.
 */
const anyObject = z.record(z.string(), z.unknown());
const answer = (name: string, shape: Record<string, z.ZodType>) =>
  ({
    200: {
      description: name,
      content: { 'application/json': { schema: z.object(shape).openapi(name) } },
    },
    400: {
      description: 'a bad parameter: one line saying which and why',
      content: { 'application/json': { schema: z.object({ error: z.string() }).openapi('BadRequest') } },
    },
  }) as const;

/** The one-line reason of a failed validation: the first issue, named by its parameter. */
export function badRequestReason(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || 'query'}: ${issue.message}`.replace(/\s+/g, ' ').slice(0, 300);
}

/** The cumulative-R curve keeps at most this many points: a page draws it, it need not carry every signal. */
export const EQUITY_POINTS = 1_000;

/**
 * Cumulative R after each resolved signal with an R (by outcome time): the
 * ledger's equity-like curve, thinned to EQUITY_POINTS evenly spaced points
 * (the last always kept, so the curve ends where the total does).
 */
export function equityCurve(rows: readonly PerformanceRow[]): EquityPoint[] {
  const resolved = rows
    .filter((r) => r.outcomeAt !== null && r.rMultiple !== null)
    .sort((a, b) => a.outcomeAt! - b.outcomeAt!);
  let total = 0;
  const points = resolved.map((r) => {
    total += r.rMultiple!;
    return { time: r.outcomeAt!, cumulativeR: Math.round(total * 1000) / 1000 };
  });
  if (points.length <= EQUITY_POINTS) return points;
  const step = points.length / EQUITY_POINTS;
  return Array.from(
    { length: EQUITY_POINTS },
    (_, i) => points[Math.min(points.length - 1, Math.ceil((i + 1) * step) - 1)]!,
  );
}

export function dashboardApi(config: Config, sources: DashboardSources, cache: AnswerCache) {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) return c.json({ error: badRequestReason(result.error) }, 400);
    },
  });
  const urlOf = (cycleId: string) => cycleUrl(config, cycleId);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/latest',
      summary: "The latest recorded cycle's report",
      responses: answer('LatestAnswer', {
        report: anyObject.nullable(),
        cycleUrl: z.string().nullable(),
        now: z.number(),
      }),
    }),
    async (c) => {
      const report = await sources.ledger.latestReport();
      const body: LatestAnswer = {
        report: report ?? null,
        cycleUrl: report ? urlOf(report.cycleId) : null,
        now: Date.now(),
      };
      return c.json(body, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cycles',
      summary: 'The latest recorded cycles, newest first',
      request: { query: z.object({ limit: wholeNumber(1, 1_000, 50) }) },
      responses: answer('CyclesAnswer', { cycles: z.array(anyObject) }),
    }),
    async (c) => {
      const { limit } = c.req.valid('query');
      const cycles = await sources.ledger.recentCycles(limit);
      const body: CyclesAnswer = {
        cycles: cycles.map((cycle) => ({ ...cycle, cycleUrl: urlOf(cycle.cycleId) })),
      };
      return c.json(body, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/signals',
      summary: "The ledger's signals, newest first",
      request: {
        query: z.object({
          open: flag,
          symbol: z.string().min(1).max(40).optional().openapi({ example: 'BTC/USDT:USDT' }),
          sinceMs: wholeNumber(1, 3650 * DAY_MS, 3650 * DAY_MS),
          limit: wholeNumber(1, 10_000, 200),
        }),
      },
      responses: answer('SignalsAnswer', { signals: z.array(anyObject) }),
    }),
    async (c) => {
      const { open, symbol, sinceMs, limit } = c.req.valid('query');
      const signals = await sources.ledger.signals({
        ...(open === undefined ? {} : { open: open === 'true' }),
        ...(symbol ? { symbol: unifiedPerpetualSymbol(symbol) } : {}),
        since: Date.now() - sinceMs,
        limit,
      });
      return c.json({ signals } satisfies SignalsAnswer, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/performance',
      summary: 'How the signals first seen in the window did (client performance), and the cumulative R',
      request: {
        query: z.object({
          sinceMs: wholeNumber(1, 3650 * DAY_MS, 30 * DAY_MS),
          by: z.enum(GROUPINGS).optional().default('direction'),
        }),
      },
      responses: answer('PerformanceAnswer', {
        total: anyObject,
        by: z.enum(GROUPINGS),
        groups: z.array(anyObject),
        since: z.number(),
        equity: z.array(z.object({ time: z.number(), cumulativeR: z.number() })),
      }),
    }),
    async (c) => {
      const { sinceMs, by } = c.req.valid('query');
      // Windows are cached by the minute: a page polling "the last 30 days" asks the same.
      const since = Math.floor((Date.now() - sinceMs) / 60_000) * 60_000;
      const body = await cache.get(`performance:${since}:${by}`, async (): Promise<PerformanceAnswer> => {
        const rows = await sources.ledger.performanceRows(since);
        return { ...performance(rows, by), since, equity: equityCurve(rows) };
      });
      return c.json(body, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/candles',
      summary:
        'A series as the candle store holds it (what the cycles analysed), with its EMAs and Bollinger Bands',
      request: {
        query: z.object({
          symbol: z.string().min(1).max(40).openapi({ example: 'BTC/USDT:USDT' }),
          timeframe: z.enum(SUPPORTED_TIMEFRAMES),
        }),
      },
      responses: {
        ...answer('CandlesAnswer', {
          symbol: z.string(),
          timeframe: z.string(),
          candles: z.array(anyObject),
          ema9: z.array(z.number().nullable()),
          ema21: z.array(z.number().nullable()),
          ema50: z.array(z.number().nullable()),
          bbUpper: z.array(z.number().nullable()),
          bbMiddle: z.array(z.number().nullable()),
          bbLower: z.array(z.number().nullable()),
        }),
        404: {
          description: 'the store holds no such series',
          content: { 'application/json': { schema: z.object({ error: z.string() }) } },
        },
      },
    }),
    async (c) => {
      const { timeframe } = c.req.valid('query');
      const symbol = unifiedPerpetualSymbol(c.req.valid('query').symbol);
      const candles = await sources.candles(symbol, timeframe);
      if (!candles || candles.length === 0)
        return c.json({ error: `the candle store holds no ${timeframe} series of ${symbol}` }, 404);
      const bands = bollingerSeries(candles, 20, 2);
      const body: CandlesAnswer = {
        symbol,
        timeframe,
        candles: candles.map(([time, open, high, low, close, volume]) => ({
          time,
          open,
          high,
          low,
          close,
          volume,
        })),
        ema9: emaSeries(candles, 9),
        ema21: emaSeries(candles, 21),
        ema50: emaSeries(candles, 50),
        bbUpper: bands.upper,
        bbMiddle: bands.middle,
        bbLower: bands.lower,
      };
      // HealthAnswer's nullable `streams` is an interface the loose schema's record cannot type.
      return c.json(body, 200) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/health',
      summary:
        "Recent cycles' latency, duration, answers by tier, REST weight and failures; the worker's streams",
      request: { query: z.object({ limit: wholeNumber(1, 1_000, 100) }) },
      responses: answer('HealthAnswer', {
        cycles: z.array(anyObject),
        weightLimit: z.number(),
        streams: anyObject.nullable(),
        usedWeight: z.number().nullable(),
        temporalUiUrl: z.string(),
      }),
    }),
    async (c) => {
      const { limit } = c.req.valid('query');
      const cycles = await cache.get(`health:${limit}`, async () => {
        const summaries = await sources.ledger.recentCycles(limit);
        const reports = await Promise.all(summaries.map((s) => sources.ledger.report(s.cycleId)));
        return summaries
          .map((s, i) => {
            const stats = reports[i]?.stats;
            return {
              cycleId: s.cycleId,
              cycleUrl: urlOf(s.cycleId),
              status: s.status,
              trigger: s.trigger,
              startedAt: s.startedAt,
              durationMs: s.durationMs,
              closeToReportMs: s.closeToReportMs,
              symbolsScanned: s.symbolsScanned,
              symbolsFailed: s.symbolsFailed,
              signals: s.signals,
              answers: stats?.answers ?? { l1: 0, l2: 0, stream: 0, rest: 0 },
              restWeight: stats?.restWeight ?? 0,
              restRequests: stats?.restRequests ?? 0,
            };
          })
          .reverse();
      });
      const worker = await sources.worker();
      const body: HealthAnswer = {
        cycles,
        weightLimit: config.EXCHANGE_WEIGHT_LIMIT,
        streams: worker.streams,
        usedWeight: worker.usedWeight,
        temporalUiUrl: urlOf('').replace(/\/workflows\/$/, '/workflows'),
      };
      return c.json(body, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/progress',
      summary: "The cycles running now, with their progress query's answer",
      responses: answer('ProgressAnswer', { running: z.array(anyObject) }),
    }),
    async (c) => {
      const running = await sources.running();
      const body: ProgressAnswer = { running: running.map((r) => ({ ...r, cycleUrl: urlOf(r.cycleId) })) };
      return c.json(body, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/alerts',
      summary: 'The alert outbox, newest first',
      request: { query: z.object({ failed: flag, limit: wholeNumber(1, 1_000, 50) }) },
      responses: answer('AlertsAnswer', { alerts: z.array(anyObject) }),
    }),
    async (c) => {
      const { failed, limit } = c.req.valid('query');
      const alerts = await sources.ledger.alerts({
        ...(failed === 'true' ? { status: 'failed' } : {}),
        limit,
      });
      return c.json({ alerts } satisfies AlertsAnswer, 200);
    },
  );

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Market scanner dashboard API',
      version: '1',
      description:
        'What the dashboard page reads: the ledger, the candle store, the running cycles. With DASHBOARD_TOKEN set, every request needs `Authorization: Bearer <token>` (or `?token=`).',
    },
  });
  return app;
}
