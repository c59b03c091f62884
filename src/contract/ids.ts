/**
 * @module
 * The names a cycle is found by: task queue, Schedule, workflow types and
 * workflow ids.
 */

/** The task queue the worker polls and the client starts cycles on (TEMPORAL_TASK_QUEUE overrides it). */
export const DEFAULT_TASK_QUEUE = 'market-scan';

/** The Schedule that starts a cycle every few minutes. */
export const SCHEDULE_ID = 'market-scan';

/** The cycle's workflow type (the name of its function in src/workflows/). */
export const CYCLE_WORKFLOW_TYPE = 'scanMarketWorkflow';

/** What a new worker runs on itself before it is ready (src/workflows/worker-warm-up.ts). */
export const WARM_UP_WORKFLOW_TYPE = 'workerWarmUpWorkflow';

/** Business ids: scan-<ISO time> for scheduled cycles (Temporal appends the time), scan-adhoc-<id> by hand. */
export const SCHEDULED_WORKFLOW_ID_PREFIX = 'scan';
export const ADHOC_WORKFLOW_ID_PREFIX = 'scan-adhoc';

/** scan-adhoc-20261124-054408-rabo: when it was asked for, and a tag against collisions. */
export function newAdhocCycleId(now = new Date(), random = Math.random): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${ADHOC_WORKFLOW_ID_PREFIX}-${stamp}-${random().toString(36).slice(2, 6)}`;
}

/**
 * The id the Schedule gives the cycle of its action at `nominalTime`
 * (Temporal appends the time, to the second, in RFC 3339): a cycle started
 * for the same close by anything else takes this id too, so that Temporal
 * runs one of them only.
 */
export function scheduledCycleId(nominalTime: number): string {
  return `${SCHEDULED_WORKFLOW_ID_PREFIX}-${new Date(Math.floor(nominalTime / 1000) * 1000).toISOString().replace('.000Z', 'Z')}`;
}

export function batchWorkflowId(cycleId: string, batchIndex: number): string {
  return `${cycleId}/batch-${String(batchIndex + 1).padStart(2, '0')}`;
}

/** worker-warm-up-<host>-<pid>-<ms>: one per worker start (src/workflows/worker-warm-up.ts). */
export function workerWarmUpId(host: string, pid: number, now: number): string {
  return `worker-warm-up-${host}-${pid}-${now}`;
}
