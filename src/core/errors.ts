/**
 * @module
 * The product's errors, in one hierarchy. Every failure is, at the boundary
 * where it enters (ccxt's errors in exchange/error-mapping.ts, Redis and
 * Temporal where they are connected to, input where it is parsed), turned
 * into one of these, and each class says once whether it is temporary
 * (retried with backoff) or permanent (reported with its reason, never
 * retried). Activities hand the permanent ones to Temporal as non-retryable
 * (contract/failures.ts); nothing else keeps a list of them.
 *
 * ```
 * ScannerError
 * ├─ TemporaryError                 retry with backoff
 * │  ├─ TemporaryExchangeError      network, 5xx, timeouts, "please try again"
 * │  │  └─ RateLimitedError         429 / 418: everyone waits Retry-After
 * │  ├─ MalformedCandlesError       a garbled body (a transfer fault, usually)
 * │  ├─ DeliveryError               an alert's receiver did not take it now (5xx, timeout, reset)
 * │  │  └─ DeliveryRateLimitedError its 429: wait its retry_after
 * │  └─ ServiceUnavailableError     one of our own services does not answer
 * │     ├─ CacheUnavailableError    Redis
 * │     ├─ LedgerUnavailableError   the signal ledger's database (SQLite busy, PostgreSQL away)
 * │     └─ TemporalUnreachableError Temporal
 * └─ PermanentError                 report, do not retry
 *    ├─ UnknownSymbolError          not listed, or delisted
 *    ├─ BadRequestError             the exchange refused the request itself
 *    ├─ DeliveryRejectedError       an alert's receiver refused it (bad token, unknown webhook)
 *    ├─ ConfigError                 configuration or input that cannot work
 *    │  └─ TemporalCliNotFoundError no Temporal CLI to start a dev server with
 *    └─ NotFoundError               what was asked for does not exist
 *       └─ CycleNotFoundError       no such cycle or report
 * ```
 */

export abstract class ScannerError extends Error {
  abstract readonly temporary: boolean;
}

/** A fault that may pass: retried with backoff, then reported. */
export abstract class TemporaryError extends ScannerError {
  readonly temporary = true;
}

/** A fault no retry can fix: reported at once with its reason. */
export abstract class PermanentError extends ScannerError {
  readonly temporary = false;
}

/** The exchange did not answer, or answered that it could not serve the request now. */
export class TemporaryExchangeError extends TemporaryError {
  override name = 'TemporaryExchangeError';
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

/** Candles that fail validation (non-numeric, out of order, duplicated, gaps, truncated). */
export class MalformedCandlesError extends TemporaryError {
  override name = 'MalformedCandlesError';
}

/** An alert's receiver did not take it now: a 5xx, a timeout, a reset connection. */
export class DeliveryError extends TemporaryError {
  override name = 'DeliveryError';
}

/** An alert's receiver asked to wait (429 with retry_after / Retry-After). */
export class DeliveryRateLimitedError extends DeliveryError {
  override name = 'DeliveryRateLimitedError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** An alert's receiver refused it for good: a bad token, an unknown webhook, a payload it will never take. */
export class DeliveryRejectedError extends PermanentError {
  override name = 'DeliveryRejectedError';
}

/** One of the services the product runs on (Redis, the ledger's database, Temporal) does not answer. */
export abstract class ServiceUnavailableError extends TemporaryError {}

/** The cache (Redis) is unreachable. */
export class CacheUnavailableError extends ServiceUnavailableError {
  override name = 'CacheUnavailableError';
}

/** The signal ledger's database does not answer (PostgreSQL unreachable, SQLite locked by another process). */
export class LedgerUnavailableError extends ServiceUnavailableError {
  override name = 'LedgerUnavailableError';
}

/** The Temporal frontend does not answer. */
export class TemporalUnreachableError extends ServiceUnavailableError {
  override name = 'TemporalUnreachableError';
}

/** The exchange does not know the symbol (or delisted it). */
export class UnknownSymbolError extends PermanentError {
  override name = 'UnknownSymbolError';
}

/** The exchange refused the request itself (a bad interval, a bad parameter). */
export class BadRequestError extends PermanentError {
  override name = 'BadRequestError';
}

/** Configuration or input that cannot work; fails fast, never retried. */
export class ConfigError extends PermanentError {
  override name = 'ConfigError';
}

/** No Temporal CLI where the project looks for one. */
export class TemporalCliNotFoundError extends ConfigError {
  override name = 'TemporalCliNotFoundError';
}

/** What was asked for does not exist. */
export class NotFoundError extends PermanentError {
  override name = 'NotFoundError';
}

/** No such cycle, or no report for it. */
export class CycleNotFoundError extends NotFoundError {
  override name = 'CycleNotFoundError';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A short, one-line reason for a report. */
export function reasonOf(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  return `${name}: ${errorMessage(error).split('\n')[0]!.slice(0, 300)}`;
}
