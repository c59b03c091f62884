/**
 * @module
 * How a permanent error crosses into Temporal: as a non-retryable
 * ApplicationFailure of the error's own name, so that Temporal does not
 * retry what no retry can fix. A temporary error that says how long to wait
 * (a 429's Retry-After) crosses as a retryable failure with that delay as
 * its next retry's; other temporary errors pass as they are (retried by the
 * activity's retry policy). Used by activities and by workflow code.
 */
import { ApplicationFailure } from '@temporalio/common';
import { ScannerError } from '../core/errors.js';

export function toTemporalFailure(error: unknown): unknown {
  if (!(error instanceof ScannerError)) return error;
  if (!error.temporary) return ApplicationFailure.nonRetryable(error.message, error.name);
  if ('retryAfterMs' in error && typeof error.retryAfterMs === 'number' && error.retryAfterMs > 0)
    return ApplicationFailure.create({
      message: error.message,
      type: error.name,
      nextRetryDelay: error.retryAfterMs,
    });
  return error;
}
