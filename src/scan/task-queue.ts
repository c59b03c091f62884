/** The task queue the worker polls and the client starts cycles on (TEMPORAL_TASK_QUEUE overrides it). */
export const DEFAULT_TASK_QUEUE = 'market-scan';

/** The Schedule that starts a cycle every few minutes. */
export const SCHEDULE_ID = 'market-scan';

/** Business ids: scan-<ISO time> for scheduled cycles (Temporal appends the time), scan-adhoc-<id> by hand. */
export const SCHEDULED_WORKFLOW_ID_PREFIX = 'scan';
export const ADHOC_WORKFLOW_ID_PREFIX = 'scan-adhoc';

export function batchWorkflowId(cycleId: string, batchIndex: number): string {
  return `${cycleId}/batch-${String(batchIndex + 1).padStart(2, '0')}`;
}
