// Formatting for the page: ages by the server's clock, durations, prices, R multiples, percentages, UTC times.

export const DASH = '—';

/** Server clock minus this browser's, from the last answer that told its `now`: ages are the server's. */
let clockOffset = 0;

export function syncClock(serverNow: number): void {
  clockOffset = serverNow - Date.now();
}

export function serverNow(): number {
  return Date.now() + clockOffset;
}

/** "just now", "42 s ago", "2 min ago", "3 h ago", "2 d ago". */
export function ago(since: number, now = serverNow()): string {
  const s = Math.max(0, Math.floor((now - since) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** A span of time: "850 ms", "12.3 s", "4.2 min", "2.5 h", "3.1 d". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

/** Seconds with one decimal: "3.4 s". */
export function seconds(ms: number | null | undefined): string {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? DASH : `${(ms / 1000).toFixed(1)} s`;
}

const priceFormat = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6, useGrouping: false });

/** A price to six significant digits: 65432.1, 0.00001234. */
export function price(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? DASH : priceFormat.format(value);
}

/** Decimals that show a price of this size to about six significant digits (for the charts' axes). */
export function priceDecimals(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 2;
  return Math.min(10, Math.max(2, 5 - Math.floor(Math.log10(value))));
}

/** "+1.50 R", "−1.00 R". */
export function rMultiple(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return DASH;
  return `${r > 0 ? '+' : r < 0 ? '−' : ''}${Math.abs(r).toFixed(2)} R`;
}

/** A share: "45 %". */
export function percent(share: number | null | undefined): string {
  return share === null || share === undefined || !Number.isFinite(share)
    ? DASH
    : `${Math.round(share * 100)} %`;
}

export function integer(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? DASH : String(Math.round(value));
}

/** "2026-12-03 07:45:12" (UTC). */
export function utc(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** "12-03 07:45" (UTC): for tables. */
export function utcShort(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  return new Date(ms).toISOString().slice(5, 16).replace('T', ' ');
}

/** "BTC/USDT:USDT" → "BTC/USDT": the settle currency of a USDT perpetual says nothing. */
export function shortSymbol(symbol: string): string {
  return symbol.endsWith(':USDT') ? symbol.slice(0, -5) : symbol;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "5m" → 300000; null for what is not a timeframe. */
export function timeframeMs(timeframe: string): number | null {
  const match = /^(\d+)([mhd])$/.exec(timeframe);
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : null;
}
