import { ApplicationFailure } from '@temporalio/workflow';

/** The innermost message of a failure chain (child → activity → application failure): what went wrong, in one line. */
export function rootMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/** The root failure as a reason: `DeliveryRejectedError: hook: webhook 404`, its type named when it has one. */
export function rootReason(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  const type = current instanceof ApplicationFailure ? current.type : undefined;
  return type ? `${type}: ${rootMessage(current)}` : rootMessage(current);
}
