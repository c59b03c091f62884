/**
 * @module
 * A candle series as one Float64Array (timestamp, open, high, low, close,
 * volume, row after row): the in-process tier holds every series of the
 * universe, and an array of arrays of boxed numbers costs about four times
 * the memory (docs/performance.md, "Worker memory"). Float64 keeps
 * millisecond timestamps and prices exactly.
 */
import type { Ohlcv } from '../core/candles.js';

const FIELDS = 6;

export function packCandles(candles: readonly Ohlcv[]): Float64Array {
  const packed = new Float64Array(candles.length * FIELDS);
  candles.forEach((candle, row) => packed.set(candle, row * FIELDS));
  return packed;
}

export function unpackCandles(packed: Float64Array): Ohlcv[] {
  const candles: Ohlcv[] = [];
  for (let i = 0; i < packed.length; i += FIELDS) {
    candles.push([
      packed[i]!,
      packed[i + 1]!,
      packed[i + 2]!,
      packed[i + 3]!,
      packed[i + 4]!,
      packed[i + 5]!,
    ]);
  }
  return candles;
}
