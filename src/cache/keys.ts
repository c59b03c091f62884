import type { Timeframe } from '../scan/types.js';

/**
 * Every Redis key the product writes, built here and nowhere else. Candle
 * keys name the exchange so that the simulator's data and the real
 * exchange's never mix in one Redis.
 */
export const KEY_PREFIX = 'scanner';

export function candleKeyPrefix(exchangeId: string): string {
  return `${KEY_PREFIX}:candles:${exchangeId}`;
}

export function candleKey(exchangeId: string, symbol: string, timeframe: Timeframe): string {
  return `${candleKeyPrefix(exchangeId)}:${symbol}:${timeframe}`;
}

/** The shared weight budget of an exchange (its spends, total and pause). */
export function weightKeyPrefix(exchangeId: string): string {
  return `${KEY_PREFIX}:weight:${exchangeId}`;
}

export function reportKey(cycleId: string): string {
  return `${KEY_PREFIX}:report:${cycleId}`;
}

/** Sorted set of report ids by start time: the index of recent cycles. */
export const REPORT_INDEX_KEY = `${KEY_PREFIX}:reports`;
