/**
 * @module
 * Binance kline intervals and their alignment. Open times are aligned to UTC:
 * minutes to days on the Unix epoch, weeks on Monday 00:00, months on the 1st.
 */
export const INTERVALS = [
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '8h',
  '12h',
  '1d',
  '3d',
  '1w',
  '1M',
] as const;
export type Interval = (typeof INTERVALS)[number];

export const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** 1970-01-01 was a Thursday; the first Monday is 4 days later. */
const FIRST_MONDAY_MS = 4 * DAY_MS;

const FIXED_MS: Record<Exclude<Interval, '1M'>, number> = {
  '1m': MINUTE_MS,
  '3m': 3 * MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1h': HOUR_MS,
  '2h': 2 * HOUR_MS,
  '4h': 4 * HOUR_MS,
  '6h': 6 * HOUR_MS,
  '8h': 8 * HOUR_MS,
  '12h': 12 * HOUR_MS,
  '1d': DAY_MS,
  '3d': 3 * DAY_MS,
  '1w': 7 * DAY_MS,
};

export function isInterval(value: string): value is Interval {
  return (INTERVALS as readonly string[]).includes(value);
}

/** Open time of the candle of `interval` that contains time `t` (ms). */
export function openTimeOf(interval: Interval, t: number): number {
  if (interval === '1M') {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  const ms = FIXED_MS[interval];
  const offset = interval === '1w' ? FIRST_MONDAY_MS : 0;
  return Math.floor((t - offset) / ms) * ms + offset;
}

/** Open time of the candle after the one that opens at `openTime`. */
export function nextOpenTime(interval: Interval, openTime: number): number {
  if (interval === '1M') {
    const d = new Date(openTime);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return openTime + FIXED_MS[interval];
}

/** Open time of the candle before the one that opens at `openTime`. */
export function previousOpenTime(interval: Interval, openTime: number): number {
  return openTimeOf(interval, openTime - 1);
}
