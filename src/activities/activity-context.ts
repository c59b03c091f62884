import { Context, log } from '@temporalio/activity';
import { toTemporalFailure } from '../contract/failures.js';

/** Heartbeats when running as a Temporal activity; a no-op when called directly (tests, baselines). */
export function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not inside an activity
  }
}

/** The details of the last heartbeat of a previous attempt, if this is a retry. */
export function lastHeartbeat<T>(): T | undefined {
  try {
    return Context.current().info.heartbeatDetails as T | undefined;
  } catch {
    return undefined;
  }
}

/** The activity logger (with the activity's ids) inside an activity; silent outside one. */
export function activityLog(
  level: 'info' | 'warn',
  message: string,
  attributes: Record<string, unknown>,
): void {
  try {
    log[level](message, attributes);
  } catch {
    // not inside an activity
  }
}

/** Permanent errors leave an activity as non-retryable failures; temporary ones are retried by Temporal. */
export function atTheBoundary<A extends unknown[], R>(activity: (...args: A) => Promise<R>) {
  return async (...args: A): Promise<R> => {
    try {
      return await activity(...args);
    } catch (error) {
      throw toTemporalFailure(error);
    }
  };
}
