import { describe, expect, it } from 'vitest';
import {
  figuresOf,
  median,
  performance,
  scoreBand,
  type PerformanceFigures,
  type PerformanceRow,
} from '../../src/analysis/performance.js';

const MIN = 60_000;
const DAY1 = Date.UTC(2026, 0, 1, 9, 0);
const DAY2 = Date.UTC(2026, 0, 2, 14, 0);

function row(
  direction: 'LONG' | 'SHORT',
  score: number,
  agreement: number,
  day: number,
  outcome: PerformanceRow['outcome'],
  rMultiple: number | null,
  minutes: number | null,
): PerformanceRow {
  const openedAt = day + 5 * MIN;
  return {
    direction,
    score,
    agreement,
    firstSeenAt: day,
    openedAt,
    outcome,
    outcomeAt: outcome === null || minutes === null ? null : openedAt + minutes * MIN,
    rMultiple,
  };
}

/**
 * The table, by hand:
 *
 * | # | dir   | score | agree | day | outcome | R    | minutes |
 * |---|-------|-------|-------|-----|---------|------|---------|
 * | 1 | LONG  | 45    | 3     | 1   | target  | 2    | 30      |
 * | 2 | LONG  | 65    | 2     | 1   | stop    | −1   | 10      |
 * | 3 | SHORT | 85    | 3     | 1   | target  | 2    | 20      |
 * | 4 | SHORT | 50    | 2     | 2   | expired | 0.5  | 240     |
 * | 5 | LONG  | 70    | 3     | 2   | missing | —    | (15)    |
 * | 6 | LONG  | 90    | 3     | 2   | open    | —    | —       |
 * | 7 | SHORT | 62    | 2     | 2   | stop    | −1.4 | 5       |
 *
 * Total: hit rate 2 / (2 + 2) = 0.5; R over 1-4 and 7: (2 − 1 + 2 + 0.5 − 1.4) / 5 = 0.42;
 * wins 3 of 5 averaging 1.5, losses 2 of 5 averaging 1.2: 0.6 × 1.5 − 0.4 × 1.2 = 0.42;
 * median of 5, 10, 20, 30, 240 minutes = 20 (the missing one's time left out).
 */
const ROWS: PerformanceRow[] = [
  row('LONG', 45, 3, DAY1, 'target', 2, 30),
  row('LONG', 65, 2, DAY1, 'stop', -1, 10),
  row('SHORT', 85, 3, DAY1, 'target', 2, 20),
  row('SHORT', 50, 2, DAY2, 'expired', 0.5, 240),
  row('LONG', 70, 3, DAY2, 'missing', null, 15),
  row('LONG', 90, 3, DAY2, null, null, null),
  row('SHORT', 62, 2, DAY2, 'stop', -1.4, 5),
];

/** The figures that define a group in the tests: the rest follow from the same code. */
function core(f: PerformanceFigures) {
  return {
    signals: f.signals,
    open: f.open,
    resolved: f.resolved,
    outcomes: [f.targets, f.stops, f.expired, f.missing],
    hitRate: f.hitRate,
    averageR: f.averageR === null ? null : Number(f.averageR.toFixed(4)),
    medianMinutes: f.medianTimeToOutcomeMs === null ? null : f.medianTimeToOutcomeMs / MIN,
  };
}

describe('performance figures', () => {
  it('totals: counts, hit rate, average R, expectancy and its terms, median time to outcome', () => {
    const total = figuresOf(ROWS);
    expect(core(total)).toEqual({
      signals: 7,
      open: 1,
      resolved: 6,
      outcomes: [2, 2, 1, 1],
      hitRate: 0.5,
      averageR: 0.42,
      medianMinutes: 20,
    });
    expect(total.winRate).toBeCloseTo(0.6, 12);
    expect(total.averageWinR).toBeCloseTo(1.5, 12);
    expect(total.averageLossR).toBeCloseTo(1.2, 12);
    expect(total.expectancyR).toBeCloseTo(0.42, 12);
    expect(total.expectancyR).toBeCloseTo(total.averageR!, 12);
  });

  it('by direction', () => {
    const { groups } = performance(ROWS, 'direction');
    expect(groups.map((g) => [g.key, core(g.figures)])).toEqual([
      [
        'LONG',
        {
          signals: 4,
          open: 1,
          resolved: 3,
          outcomes: [1, 1, 0, 1],
          hitRate: 0.5,
          averageR: 0.5,
          medianMinutes: 20,
        },
      ],
      // (2 + 0.5 − 1.4) / 3 = 0.3667; median of 20, 240, 5 = 20.
      [
        'SHORT',
        {
          signals: 3,
          open: 0,
          resolved: 3,
          outcomes: [1, 1, 1, 0],
          hitRate: 0.5,
          averageR: 0.3667,
          medianMinutes: 20,
        },
      ],
    ]);
  });

  it('by score band of the first score, only the bands that have signals', () => {
    const { groups } = performance(ROWS, 'score');
    expect(groups.map((g) => [g.key, core(g.figures)])).toEqual([
      // #1 and #4: (2 + 0.5) / 2; median of 30 and 240.
      [
        '40-59',
        {
          signals: 2,
          open: 0,
          resolved: 2,
          outcomes: [1, 0, 1, 0],
          hitRate: 1,
          averageR: 1.25,
          medianMinutes: 135,
        },
      ],
      // #2, #5, #7: (−1 − 1.4) / 2; median of 10 and 5.
      [
        '60-79',
        {
          signals: 3,
          open: 0,
          resolved: 3,
          outcomes: [0, 2, 0, 1],
          hitRate: 0,
          averageR: -1.2,
          medianMinutes: 7.5,
        },
      ],
      [
        '80-100',
        {
          signals: 2,
          open: 1,
          resolved: 1,
          outcomes: [1, 0, 0, 0],
          hitRate: 1,
          averageR: 2,
          medianMinutes: 20,
        },
      ],
    ]);
  });

  it('by agreement (number of agreeing timeframes)', () => {
    const { groups } = performance(ROWS, 'agreement');
    expect(groups.map((g) => [g.key, core(g.figures)])).toEqual([
      // #2, #4, #7: (−1 + 0.5 − 1.4) / 3 = −0.6333; median of 10, 240, 5 = 10.
      [
        '2',
        {
          signals: 3,
          open: 0,
          resolved: 3,
          outcomes: [0, 2, 1, 0],
          hitRate: 0,
          averageR: -0.6333,
          medianMinutes: 10,
        },
      ],
      // #1, #3 (targets), #5 (missing), #6 (open): median of 30 and 20.
      [
        '3',
        {
          signals: 4,
          open: 1,
          resolved: 3,
          outcomes: [2, 0, 0, 1],
          hitRate: 1,
          averageR: 2,
          medianMinutes: 25,
        },
      ],
    ]);
  });

  it('by UTC day of first sight', () => {
    const { groups } = performance(ROWS, 'day');
    expect(groups.map((g) => [g.key, core(g.figures)])).toEqual([
      // #1-#3: hit rate 2/3, (2 − 1 + 2) / 3 = 1; median of 30, 10, 20.
      [
        '2026-01-01',
        {
          signals: 3,
          open: 0,
          resolved: 3,
          outcomes: [2, 1, 0, 0],
          hitRate: 2 / 3,
          averageR: 1,
          medianMinutes: 20,
        },
      ],
      // #4-#7: (0.5 − 1.4) / 2; median of 240 and 5.
      [
        '2026-01-02',
        {
          signals: 4,
          open: 1,
          resolved: 3,
          outcomes: [0, 1, 1, 1],
          hitRate: 0,
          averageR: -0.45,
          medianMinutes: 122.5,
        },
      ],
    ]);
  });

  it('nothing to divide gives null, not zero or NaN', () => {
    const none = figuresOf([]);
    expect(none).toMatchObject({
      signals: 0,
      hitRate: null,
      averageR: null,
      expectancyR: null,
      medianTimeToOutcomeMs: null,
    });
    const onlyExpired = figuresOf([row('LONG', 50, 2, DAY1, 'expired', 0.3, 240)]);
    expect(onlyExpired.hitRate).toBeNull(); // neither a target nor a stop
    expect(onlyExpired.averageR).toBeCloseTo(0.3, 12);
    expect(onlyExpired.averageLossR).toBeNull();
    expect(onlyExpired.expectancyR).toBeCloseTo(0.3, 12);
  });

  it('bands and medians at their edges', () => {
    expect([0, 39, 40, 59, 60, 79, 80, 100].map(scoreBand)).toEqual([
      '0-39',
      '0-39',
      '40-59',
      '40-59',
      '60-79',
      '60-79',
      '80-100',
      '80-100',
    ]);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
