import { ConfigError } from '../errors.js';
import { SUPPORTED_TIMEFRAMES, type Timeframe } from './types.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function isTimeframe(value: string): value is Timeframe {
  return (SUPPORTED_TIMEFRAMES as readonly string[]).includes(value);
}

export function timeframeMs(timeframe: Timeframe): number {
  const unit = timeframe.slice(-1) as keyof typeof UNIT_MS;
  return Number(timeframe.slice(0, -1)) * UNIT_MS[unit];
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
