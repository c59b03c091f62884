import { describe, expect, it } from 'vitest';
import {
  freshUntil,
  isFresh,
  lastOpenOf,
  mergeCandles,
  missingCandles,
} from '../../src/market-data/freshness.js';
import type { Ohlcv } from '../../src/core/candles.js';

const M5 = 300_000;
const H1 = 3_600_000;
const at = (t: number): Ohlcv => [t, 1, 1, 1, 1, 1];
const series = (step: number, first: number, n: number) =>
  Array.from({ length: n }, (_, i) => at(first + i * step));

describe('freshness by candle close', () => {
  it.each([
    ['5m', M5],
    ['15m', 3 * M5],
    ['1h', H1],
  ] as const)('a %s series is fresh until the candle after its last one closes', (tf, step) => {
    const last = lastOpenOf(series(step, 100 * step, 10)); // last closed candle opens at 109·step
    expect(last).toBe(109 * step);
    const close = 111 * step; // the forming one (110·step) closes here
    expect(freshUntil(last, tf)).toBe(close);
    expect(isFresh(last, tf, close - 1)).toBe(true);
    expect(isFresh(last, tf, close)).toBe(false);
    expect(missingCandles(last, tf, close - 1)).toBe(0);
    expect(missingCandles(last, tf, close)).toBe(1);
    expect(missingCandles(last, tf, close + 5 * step)).toBe(6);
  });

  it('an empty series is never fresh', () => {
    expect(lastOpenOf([])).toBeUndefined();
    expect(isFresh(undefined, '1h', 0)).toBe(false);
    expect(missingCandles(undefined, '1h', 0)).toBe(Infinity);
  });
});

describe('incremental merge', () => {
  const stored = series(H1, 0, 5);

  it('appends the newer candles, skips the ones it has, keeps the last `limit`', () => {
    const merged = mergeCandles(stored, series(H1, 3 * H1, 4), '1h', 5)!;
    expect(merged.map((c) => c[0] / H1)).toEqual([2, 3, 4, 5, 6]);
  });

  it('refuses to join across a gap', () => {
    expect(mergeCandles(stored, series(H1, 7 * H1, 2), '1h', 5)).toBeUndefined();
  });

  it('keeps the stored series when nothing is newer', () => {
    expect(mergeCandles(stored, [], '1h', 5)).toEqual(stored);
  });
});
