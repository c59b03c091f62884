/**
 * @module
 * Candle timeframes: the ones Binance serves that the scanner accepts, their
 * length, and parsing a comma-separated list of them.
 */
import { ConfigError } from './errors.js';

export const SUPPORTED_TIMEFRAMES = [
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
] as const;
export type Timeframe = (typeof SUPPORTED_TIMEFRAMES)[number];

/** Trend, momentum and trigger: largest first. */
export const DEFAULT_TIMEFRAMES: readonly Timeframe[] = ['1h', '15m', '5m'];

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function isTimeframe(value: string): value is Timeframe {
  return (SUPPORTED_TIMEFRAMES as readonly string[]).includes(value);
}

export function timeframeMs(timeframe: Timeframe): number {
  const unit = timeframe.slice(-1) as keyof typeof UNIT_MS;
  return Number(timeframe.slice(0, -1)) * UNIT_MS[unit];
}

/** Largest first: the order the rules read them in (trend, momentum, trigger). */
export function largestFirst(timeframes: readonly Timeframe[]): Timeframe[] {
  return [...new Set(timeframes)].sort((a, b) => timeframeMs(b) - timeframeMs(a));
}

export function parseTimeframes(text: string): Timeframe[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((t) => !isTimeframe(t));
  if (bad.length > 0 || items.length === 0) {
    throw new ConfigError(
      `unsupported timeframe(s) ${bad.join(', ') || '(none)'}: use ${SUPPORTED_TIMEFRAMES.join(', ')}`,
    );
  }
  return [...new Set(items as Timeframe[])];
}
