import { RateLimitedError, ScannerError } from '../errors.js';
import type { RateGate } from './rate-gate.js';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 250, maxDelayMs: 5_000 };

/**
 * Runs `operation` until it succeeds, a permanent error occurs, or the
 * attempts run out. Temporary errors back off exponentially with jitter; a
 * rate limit closes the gate for everyone for its Retry-After instead.
 */
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
