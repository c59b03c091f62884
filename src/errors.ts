/**
 * The product's errors. Every failure is, at the boundary where it enters,
 * translated into one of two kinds: temporary (retry with backoff) or
 * permanent (report with its reason, do not retry).
 */
export abstract class ScannerError extends Error {
  abstract readonly temporary: boolean;
}

/** A fault that may pass: network, 5xx, timeouts, rate limits, a garbled answer. */
export class TemporaryExchangeError extends ScannerError {
  override name = 'TemporaryExchangeError';
  readonly temporary = true;
}

/** 429 or 418: the exchange asks everyone to wait. */
export class RateLimitedError extends TemporaryExchangeError {
  override name = 'RateLimitedError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** The exchange does not know the symbol (or delisted it). */
export class UnknownSymbolError extends ScannerError {
  override name = 'UnknownSymbolError';
  readonly temporary = false;
}

/** The exchange refused the request itself (a bad interval, a bad parameter). */
export class BadRequestError extends ScannerError {
  override name = 'BadRequestError';
  readonly temporary = false;
}

/** Candles that fail validation (non-numeric, out of order, duplicated, gaps, truncated). */
export class MalformedCandlesError extends ScannerError {
  override name = 'MalformedCandlesError';
  // A garbled body is usually a transfer fault: retry, then report.
  readonly temporary = true;
}

/** Configuration or input that cannot work; fails fast, never retried. */
export class ConfigError extends ScannerError {
  override name = 'ConfigError';
  readonly temporary = false;
}

/** The cache (Redis) is unreachable. */
export class CacheUnavailableError extends ScannerError {
  override name = 'CacheUnavailableError';
  readonly temporary = true;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A short, one-line reason for a report. */
export function reasonOf(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  return `${name}: ${errorMessage(error).split('\n')[0]!.slice(0, 300)}`;
}
