import type { RetryPolicy } from '@temporalio/workflow';

/** Error types our activities throw that no retry can fix. */
export const PERMANENT_ERRORS = ['ConfigError', 'UnknownSymbolError', 'BadRequestError'];

/** Exponential backoff from 1 s to 30 s; permanent errors are not retried. */
export function activityRetry(maximumAttempts: number): RetryPolicy {
  return {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts,
    nonRetryableErrorTypes: PERMANENT_ERRORS,
  };
}
