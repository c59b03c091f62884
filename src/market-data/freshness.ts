/**
 * @module
 * When a stored series is fresh, how many candles it misses, how long the
 * store keeps it, and merging newer candles into it (by the exchange's clock).
 */
import type { Ohlcv } from '../core/candles.js';
import { timeframeMs, type Timeframe } from '../core/timeframes.js';

/** The open time of a series' last candle; undefined for an empty one. What freshness is judged by. */
export const lastOpenOf = (candles: readonly Ohlcv[]): number | undefined => candles[candles.length - 1]?.[0];

/**
 * A stored series (closed candles only), its last candle opened at
 * `lastOpen`, is fresh until the candle after that one closes, by the
 * exchange's clock: 1h data is fetched once an hour, 5m data once per candle.
 * (By the last open alone: the store judges a series without unpacking it.)
 */
export function freshUntil(lastOpen: number | undefined, timeframe: Timeframe): number {
  return lastOpen === undefined ? 0 : lastOpen + 2 * timeframeMs(timeframe);
}

export function isFresh(lastOpen: number | undefined, timeframe: Timeframe, exchangeNow: number): boolean {
  return exchangeNow < freshUntil(lastOpen, timeframe);
}

/**
 * Whether a cycle asking for `limit` candles takes a stored series as it is:
 * it holds the `limit - 1` closed ones a scan keeps, and it is fresh.
 */
export function answersScan(
  count: number,
  lastOpen: number | undefined,
  timeframe: Timeframe,
  limit: number,
  exchangeNow: number,
): boolean {
  return count >= limit - 1 && isFresh(lastOpen, timeframe, exchangeNow);
}

/**
 * How long the store keeps a series it was given: 50 candles of its
 * timeframe (a series untouched that long is not worth extending), at most
 * two days.
 */
export function storeTtlMs(timeframe: Timeframe): number {
  return Math.min(2 * 86_400_000, 50 * timeframeMs(timeframe));
}

/** How many closed candles have appeared since the stored series' last one (opened at `lastOpen`). */
export function missingCandles(
  lastOpen: number | undefined,
  timeframe: Timeframe,
  exchangeNow: number,
): number {
  if (lastOpen === undefined) return Infinity;
  const step = timeframeMs(timeframe);
  return Math.max(0, Math.floor((exchangeNow - lastOpen - step) / step));
}

/**
 * Appends newer closed candles to a stored series, without duplicates or
 * gaps, and keeps the last `limit`. Returns undefined when the two do not
 * join (a gap between them): the caller fetches the whole series instead.
 */
export function mergeCandles(
  stored: readonly Ohlcv[],
  newer: readonly Ohlcv[],
  timeframe: Timeframe,
  limit: number,
): Ohlcv[] | undefined {
  const step = timeframeMs(timeframe);
  const last = stored[stored.length - 1];
  const fresh = last === undefined ? [...newer] : newer.filter((c) => c[0] > last[0]);
  if (last !== undefined && fresh.length > 0 && fresh[0]![0] !== last[0] + step) return undefined;
  return [...stored, ...fresh].slice(-limit);
}
