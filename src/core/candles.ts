/**
 * @module
 * Candles, the market data every layer speaks of, and their validation at
 * the boundary where they enter the product.
 */
import { MalformedCandlesError } from './errors.js';
import { timeframeMs, type Timeframe } from './timeframes.js';

/** One candle as ccxt gives it: [openTime, open, high, low, close, volume]. */
export type Ohlcv = [number, number, number, number, number, number];

/**
 * Where a series came from: the candle store's memory (l1) or Redis (l2),
 * the store kept fresh by a live stream (stream), or the exchange's REST API.
 */
export const CANDLE_TIERS = ['l1', 'l2', 'stream', 'rest'] as const;
export type CandleTier = (typeof CANDLE_TIERS)[number];

/**
 * Checks a series at the boundary, before it may enter the cache: every
 * field a finite number, open times aligned, strictly ascending, evenly
 * spaced (no duplicates, no gaps), prices positive and high/low around
 * open/close. ccxt passes garbled bodies through (nulls, duplicates, holes),
 * so this is where they stop.
 */
export function validateCandles(symbol: string, timeframe: Timeframe, rows: unknown): Ohlcv[] {
  const fail = (why: string) => new MalformedCandlesError(`${symbol} ${timeframe}: ${why}`);
  if (!Array.isArray(rows)) throw fail('not a list of candles');
  const step = timeframeMs(timeframe);
  const candles: Ohlcv[] = [];
  // A cold cycle validates 157,000 candles, and every allocation here brings the next
  // scavenge nearer (docs/performance.md, "The cold cycle, measured further"): a row of
  // exactly six numbers (ccxt's) is kept as it is, a longer one trimmed to a new array.
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    if (!Array.isArray(row) || row.length < 6) throw fail(`candle ${i} is not [time, o, h, l, c, v]`);
    for (let field = 0; field < 6; field++) {
      const value: unknown = row[field];
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw fail(`candle ${i} has a non-numeric field`);
    }
    const [t, o, h, l, c, v] = row as Ohlcv;
    if (t % step !== 0) throw fail(`candle ${i} opens at ${t}, not on a ${timeframe} boundary`);
    if (i > 0) {
      const previous = candles[i - 1]![0];
      if (t === previous) throw fail(`duplicate candle at ${t}`);
      if (t < previous) throw fail(`candles out of order at ${t}`);
      if (t - previous !== step) throw fail(`gap of ${(t - previous) / step - 1} candles before ${t}`);
    }
    if (!(o > 0 && h > 0 && l > 0 && c > 0) || v < 0)
      throw fail(`candle ${i} has a non-positive price or negative volume`);
    if (h < Math.max(o, c) || l > Math.min(o, c)) throw fail(`candle ${i} has high/low outside open/close`);
    candles.push(row.length === 6 ? (row as Ohlcv) : [t, o, h, l, c, v]);
  }
  return candles;
}
