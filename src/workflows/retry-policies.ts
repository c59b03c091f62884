/**
 * @module
 * The activities' retry policy. Permanent errors need no list here: the
 * activities hand them to Temporal as non-retryable failures
 * (contract/failures.ts), so only what may pass is retried.
 */
import type { RetryPolicy } from '@temporalio/workflow';

/** Exponential backoff from 1 s to 30 s. */
export function activityRetry(maximumAttempts: number): RetryPolicy {
  return {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts,
  };
}
