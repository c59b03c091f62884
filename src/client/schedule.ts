import {
  type Client,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleOptions,
} from '@temporalio/client';
import type { Config } from '../config.js';
import { CYCLE_WORKFLOW_TYPE, SCHEDULE_ID, SCHEDULED_WORKFLOW_ID_PREFIX } from '../contract/ids.js';
import { cycleDetails, cycleSummary } from '../contract/summaries.js';
import { configuredScan } from '../temporal/cycle-start.js';

/**
 * The market-scan Schedule: the cron (UTC) plus a few seconds, so each cycle
 * starts just after the 5m candle closed; overlap SKIP (a slow cycle is never
 * doubled); a short catch-up window (a cycle missed during an outage is not
 * worth running late). Where the worker's close trigger runs (streams on),
 * it has already started the same workflow id for the close by then, and the
 * Schedule's start is refused as a duplicate: the Schedule is the safety net
 * for a close the streams did not bring.
 */
export function scheduleOptions(config: Config): ScheduleOptions {
  const input = configuredScan(config, 'schedule');
  return {
    scheduleId: SCHEDULE_ID,
    spec: { cronExpressions: [`${config.SCAN_OFFSET_SECONDS} ${config.SCAN_CRON} *`] },
    action: {
      type: 'startWorkflow',
      workflowType: CYCLE_WORKFLOW_TYPE,
      // Temporal appends the scheduled time: scan-2026-11-23T22:35:05Z.
      workflowId: SCHEDULED_WORKFLOW_ID_PREFIX,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [input],
      staticSummary: cycleSummary(input),
      staticDetails: cycleDetails(input),
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute', pauseOnFailure: false },
    state: { note: 'every few minutes: scan the whole market on 1h/15m/5m and rank signals' },
  };
}

/** Creates the Schedule, or updates it to the current configuration; idempotent. */
export async function ensureSchedule(client: Client, config: Config): Promise<'created' | 'updated'> {
  const options = scheduleOptions(config);
  const handle = client.schedule.getHandle(SCHEDULE_ID);
  try {
    await handle.update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: options.policies,
    }));
    return 'updated';
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    await client.schedule.create(options);
    return 'created';
  }
}
