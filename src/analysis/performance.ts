/**
 * @module
 * How the rules have done: figures over the signals of a window (open and
 * resolved), in total and grouped, pure. The definitions, once:
 *
 * - `signals` counts every signal of the window, `open` those not resolved,
 *   `resolved` those with an outcome (target, stop, expired or missing).
 * - Hit rate = targets ÷ (targets + stops): the share that reached the target
 *   before the stop. Expired and missing signals reached neither, so they
 *   count in neither term (they are counted on their own).
 * - Average R = the mean R multiple over the signals resolved with one
 *   (target, stop and expired; a missing signal has no exit, hence no R).
 * - Expectancy, by the win-rate formula over the same signals:
 *   winRate × averageWinR − lossRate × averageLossR, where a win is R > 0 and
 *   a loss R < 0 (averageLossR as a positive number). It equals the average R
 *   by algebra; it is given with its terms because they are what tells a
 *   45 % hit rate at 2 R from a 70 % one at 0.5 R.
 * - Median time to outcome: from `openedAt` (the close of the signal's
 *   candle, when the trade would have been entered) to `outcomeAt` (the close
 *   of the outcome candle), over the signals resolved with R; missing ones
 *   are left out (their time says when the data stopped, not the market).
 * - Groups: by direction, by score band of the score the signal first
 *   appeared with (what a reader saw when acting on it; the best score is
 *   known only later), by agreement (the number of agreeing timeframes), by
 *   day (UTC date of first sight). A figure with nothing to average is null.
 */
import type { Direction } from './signal.js';
import type { OutcomeKind } from './outcomes.js';

/** One signal as the figures need it. Times in ms since the epoch (UTC). */
export interface PerformanceRow {
  direction: Direction;
  /** The score it first appeared with (0-100). */
  score: number;
  /** Number of agreeing timeframes. */
  agreement: number;
  firstSeenAt: number;
  /** When the trade would have been entered: the close of the signal's candle. */
  openedAt: number;
  outcome: OutcomeKind | null;
  outcomeAt: number | null;
  rMultiple: number | null;
}

export interface PerformanceFigures {
  signals: number;
  open: number;
  resolved: number;
  targets: number;
  stops: number;
  expired: number;
  missing: number;
  /** targets ÷ (targets + stops); null when neither happened. */
  hitRate: number | null;
  /** Mean R over the resolved with R; null when none. */
  averageR: number | null;
  winRate: number | null;
  averageWinR: number | null;
  averageLossR: number | null;
  expectancyR: number | null;
  medianTimeToOutcomeMs: number | null;
}

export type PerformanceGrouping = 'direction' | 'score' | 'agreement' | 'day';

export interface PerformanceGroup {
  /** 'LONG' | 'SHORT'; a band such as '60-79'; '2' (timeframes); '2026-12-01'. */
  key: string;
  figures: PerformanceFigures;
}

export interface PerformanceReport {
  total: PerformanceFigures;
  by: PerformanceGrouping;
  /** Ordered: LONG before SHORT, bands and agreement ascending, days ascending. Only groups with signals. */
  groups: PerformanceGroup[];
}

/** Score bands, low first: below the default minimum score, then 40-59, 60-79, 80-100. */
export const SCORE_BANDS: ReadonlyArray<{ key: string; min: number; max: number }> = [
  { key: '0-39', min: 0, max: 39 },
  { key: '40-59', min: 40, max: 59 },
  { key: '60-79', min: 60, max: 79 },
  { key: '80-100', min: 80, max: 100 },
];

export function scoreBand(score: number): string {
  const band = SCORE_BANDS.findLast((b) => score >= b.min) ?? SCORE_BANDS[0]!;
  return band.key;
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The figures of one set of signals (definitions in the module comment). */
export function figuresOf(rows: readonly PerformanceRow[]): PerformanceFigures {
  const count = (kind: OutcomeKind) => rows.filter((r) => r.outcome === kind).length;
  const targets = count('target');
  const stops = count('stop');
  const withR = rows.filter(
    (r): r is PerformanceRow & { rMultiple: number } => r.outcome !== null && r.rMultiple !== null,
  );
  const rs = withR.map((r) => r.rMultiple);
  const wins = rs.filter((r) => r > 0);
  const losses = rs.filter((r) => r < 0).map((r) => -r);
  const winRate = rs.length === 0 ? null : wins.length / rs.length;
  const lossRate = rs.length === 0 ? null : losses.length / rs.length;
  const averageWinR = mean(wins);
  const averageLossR = mean(losses);
  const expectancyR =
    winRate === null || lossRate === null
      ? null
      : winRate * (averageWinR ?? 0) - lossRate * (averageLossR ?? 0);
  return {
    signals: rows.length,
    open: rows.filter((r) => r.outcome === null).length,
    resolved: rows.filter((r) => r.outcome !== null).length,
    targets,
    stops,
    expired: count('expired'),
    missing: count('missing'),
    hitRate: targets + stops === 0 ? null : targets / (targets + stops),
    averageR: mean(rs),
    winRate,
    averageWinR,
    averageLossR,
    expectancyR,
    medianTimeToOutcomeMs: median(
      withR.filter((r) => r.outcomeAt !== null).map((r) => r.outcomeAt! - r.openedAt),
    ),
  };
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function keyOf(row: PerformanceRow, by: PerformanceGrouping): string {
  switch (by) {
    case 'direction':
      return row.direction;
    case 'score':
      return scoreBand(row.score);
    case 'agreement':
      return String(row.agreement);
    case 'day':
      return utcDay(row.firstSeenAt);
  }
}

function compareKeys(by: PerformanceGrouping, a: string, b: string): number {
  if (by === 'score')
    return SCORE_BANDS.findIndex((x) => x.key === a) - SCORE_BANDS.findIndex((x) => x.key === b);
  if (by === 'agreement') return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0; // LONG < SHORT; ISO dates sort as text
}

/** The figures in total and by one grouping. */
export function performance(rows: readonly PerformanceRow[], by: PerformanceGrouping): PerformanceReport {
  const groups = new Map<string, PerformanceRow[]>();
  for (const row of rows) {
    const key = keyOf(row, by);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return {
    total: figuresOf(rows),
    by,
    groups: [...groups.keys()]
      .sort((a, b) => compareKeys(by, a, b))
      .map((key) => ({ key, figures: figuresOf(groups.get(key)!) })),
  };
}
