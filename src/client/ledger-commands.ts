/**
 * @module
 * The commands that read the signal ledger: saved reports, the cycles list,
 * the signals and how they did. They need neither Temporal nor the exchange.
 */
import { performance, type PerformanceFigures, type PerformanceGrouping } from '../analysis/performance.js';
import { CycleNotFoundError } from '../core/errors.js';
import { unifiedPerpetualSymbol } from '../core/markets.js';
import type { LedgerSignal } from '../storage/ledger/ledger.js';
import type { ClientContext } from './context.js';
import { printReport } from './commands.js';
import { price, table } from './render.js';

const seconds = (ms: number | null | undefined) => (ms == null ? '-' : `${(ms / 1000).toFixed(1)} s`);
const percent = (share: number | null) => (share === null ? '-' : `${(share * 100).toFixed(1)}%`);
const r = (value: number | null) => (value === null ? '-' : value.toFixed(2));
const minutes = (ms: number | null) => (ms === null ? '-' : `${Math.round(ms / 60_000)} min`);
const iso = (ms: number) => new Date(ms).toISOString();

/** report <cycleId|latest>: the saved report. */
export async function showReport(ctx: ClientContext, which: string, json: boolean): Promise<void> {
  const ledger = await ctx.ledger();
  const report = which === 'latest' ? await ledger.latestReport() : await ledger.report(which);
  if (!report)
    throw new CycleNotFoundError(which === 'latest' ? 'no report saved yet' : `no report for ${which}`);
  printReport(ctx, report, json);
}

/** cycles: the latest recorded cycles, newest first. */
export async function listCycles(ctx: ClientContext, limit: number): Promise<void> {
  const cycles = await (await ctx.ledger()).recentCycles(limit);
  if (cycles.length === 0) return ctx.out('no cycles yet');
  ctx.out(
    table(
      ['cycle', 'status', 'trigger', 'started', 'took', 'scanned', 'signals', 'failures', 'close→report'],
      cycles.map((c) => [
        c.cycleId,
        c.status,
        c.trigger,
        iso(c.startedAt),
        seconds(c.durationMs),
        c.symbolsScanned,
        c.signals,
        c.symbolsFailed,
        seconds(c.closeToReportMs),
      ]),
    ),
  );
}

export interface SignalsOptions {
  open?: boolean;
  symbol?: string;
  /** A window back from now, ms. */
  sinceMs?: number;
  limit: number;
  json?: boolean;
}

function outcomeText(s: LedgerSignal): string {
  if (!s.outcome) return 'open';
  return s.outcome.kind === 'missing' ? `missing: ${s.outcome.reason}` : s.outcome.kind;
}

/** signals: the ledger's signals, newest first, with their outcomes. */
export async function listSignals(ctx: ClientContext, opts: SignalsOptions, now = Date.now()): Promise<void> {
  const signals = await (
    await ctx.ledger()
  ).signals({
    ...(opts.open ? { open: true } : {}),
    ...(opts.symbol ? { symbol: unifiedPerpetualSymbol(opts.symbol) } : {}),
    ...(opts.sinceMs === undefined ? {} : { since: now - opts.sinceMs }),
    limit: opts.limit,
  });
  if (opts.json) return ctx.out(JSON.stringify(signals, null, 2));
  if (signals.length === 0) return ctx.out('no signals');
  ctx.out(
    table(
      [
        'id',
        'first seen',
        'symbol',
        'side',
        'tf',
        'score',
        'entry',
        'stop',
        'target',
        'seen',
        'outcome',
        'at',
        'R',
      ],
      signals.map((s) => [
        s.id,
        iso(s.firstSeenAt),
        s.symbol,
        s.direction,
        s.timeframe,
        s.bestScore,
        price(s.entry),
        price(s.stop),
        price(s.target),
        s.timesSeen,
        outcomeText(s),
        s.outcome ? iso(s.outcome.at) : '-',
        r(s.outcome?.rMultiple ?? null),
      ]),
    ),
  );
}

export interface PerformanceOptions {
  sinceMs: number;
  by: PerformanceGrouping;
  json?: boolean;
}

const FIGURE_HEADERS = [
  'signals',
  'open',
  'resolved',
  'targets',
  'stops',
  'expired',
  'missing',
  'hit rate',
  'avg R',
  'expectancy',
  'median to outcome',
];

function figureCells(f: PerformanceFigures): Array<string | number> {
  return [
    f.signals,
    f.open,
    f.resolved,
    f.targets,
    f.stops,
    f.expired,
    f.missing,
    percent(f.hitRate),
    r(f.averageR),
    r(f.expectancyR),
    minutes(f.medianTimeToOutcomeMs),
  ];
}

/** performance: how the signals first seen in the window did, in total and by one grouping. */
export async function showPerformance(
  ctx: ClientContext,
  opts: PerformanceOptions,
  now = Date.now(),
): Promise<void> {
  const since = now - opts.sinceMs;
  const figures = performance(await (await ctx.ledger()).performanceRows(since), opts.by);
  if (opts.json) return ctx.out(JSON.stringify({ since: iso(since), ...figures }, null, 2));
  ctx.out(
    `signals first seen since ${iso(since)}; hit rate = targets ÷ (targets + stops), R = result ÷ risk`,
  );
  ctx.out(
    table(
      [opts.by, ...FIGURE_HEADERS],
      [
        ...figures.groups.map((g) => [g.key, ...figureCells(g.figures)]),
        ['all', ...figureCells(figures.total)],
      ],
    ),
  );
}
