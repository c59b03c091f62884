/**
 * @module
 * Every Redis key the product writes, built here and nowhere else. Candle
 * keys name the exchange so that the simulator's data and the real
 * exchange's never mix in one Redis.
 */
import type { Config } from '../config.js';
import type { Timeframe } from '../core/timeframes.js';

const KEY_PREFIX = 'scanner';

/**
 * `v2`: series stored as packed bytes (packed-candles.ts); the JSON entries
 * written before sit under the old prefix, unread, until their TTL ends.
 */
export function candleKeyPrefix(exchangeId: string): string {
  return `${KEY_PREFIX}:candles:v2:${exchangeId}`;
}

export function candleKey(exchangeId: string, symbol: string, timeframe: Timeframe): string {
  return `${candleKeyPrefix(exchangeId)}:${symbol}:${timeframe}`;
}

/** The shared weight budget of an exchange (its spends, total and pause). */
export function weightKeyPrefix(exchangeId: string): string {
  return `${KEY_PREFIX}:weight:${exchangeId}`;
}

/**
 * The cache key space of an exchange, so the simulator's data and Binance's
 * never share entries (and two simulators on one Redis neither): computed
 * here and nowhere else.
 */
export function exchangeIdOf(config: Pick<Config, 'EXCHANGE' | 'EXCHANGE_URL'>): string {
  return config.EXCHANGE === 'simulator'
    ? `sim-${new URL(config.EXCHANGE_URL!).port || 'default'}`
    : 'binanceusdm';
}
