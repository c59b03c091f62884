/**
 * @module
 * Retries of one exchange request, bounded: temporary errors back off
 * exponentially with jitter; a rate limit closes the gate for everyone for
 * its Retry-After instead; permanent errors are not retried at all.
 */
import { RateLimitedError, ScannerError } from '../core/errors.js';
import type { RateGate } from './rate-gate.js';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Six attempts, 0.25 s to 4 s apart (about 8 s at most): with one request in
 * ten failing, a 1,590-request cycle then loses a series about once in a
 * thousand cycles (10⁻⁶ per request), where four attempts lost one in six.
 */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 5_000 };

/** Runs `operation` until it succeeds, a permanent error occurs, or the attempts run out. */
export async function withRetries<T>(
  operation: () => Promise<T>,
  options: { policy?: RetryPolicy; gate: RateGate; onRetry?: (error: ScannerError, attempt: number) => void },
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  for (let attempt = 1; ; attempt++) {
    await options.gate.wait();
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof ScannerError) || !error.temporary || attempt >= policy.attempts) throw error;
      options.onRetry?.(error, attempt);
      if (error instanceof RateLimitedError) {
        options.gate.pauseFor(error.retryAfterMs);
      } else {
        const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
        await new Promise((resolve) => setTimeout(resolve, backoff * (0.5 + Math.random())));
      }
    }
  }
}
