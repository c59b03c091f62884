import { describe, expect, it } from 'vitest';
import type { Ohlcv } from '../../src/core/candles.js';
import { PackedSeries, decodePacked, encodePacked, packCandles } from '../../src/storage/packed-candles.js';

const candles: Ohlcv[] = [
  [1_733_299_200_000, 0.1 + 0.2, 97_123.45, 1e-8, 3.000_000_1, 123_456_789.123],
  [1_733_302_800_000, 3.000_000_1, 4, 2, 3.5, 0],
];

describe('packed series', () => {
  it('tells its length and last open without unpacking, and unpacks once when its candles are read', () => {
    const series = new PackedSeries(packCandles(candles));
    expect(series.count).toBe(2);
    expect(series.lastOpen).toBe(1_733_302_800_000);
    expect(series.candles).toEqual(candles);
    expect(series.candles).toBe(series.candles);
  });

  it('an empty series has no last open', () => {
    const empty = new PackedSeries(packCandles([]));
    expect(empty.count).toBe(0);
    expect(empty.lastOpen).toBeUndefined();
    expect(empty.candles).toEqual([]);
  });

  it('round-trips exactly through base64, and takes text that is not whole candles for nothing', () => {
    expect(new PackedSeries(decodePacked(encodePacked(packCandles(candles)))!).candles).toEqual(candles);
    expect(decodePacked('AAAA')).toBeUndefined();
    expect(decodePacked('')).toBeUndefined();
  });
});
