import { Context } from '@temporalio/activity';

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
