/**
 * @module
 * The client's commands over Temporal, through a ClientContext: start and
 * wait for cycles, their status, the Schedule (what reads the ledger is in
 * ledger-commands.ts).
 */
import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ConfigError, CycleNotFoundError } from '../core/errors.js';
import { CYCLE_WORKFLOW_TYPE, newAdhocCycleId, SCHEDULE_ID } from '../contract/ids.js';
import { progressQuery } from '../contract/queries.js';
import { cycleStartOptions } from '../temporal/cycle-start.js';
import type { CycleReport, Progress, ScanInput } from '../contract/types.js';
import type { scanMarketWorkflow } from '../workflows/scan-market.js';
import type { ClientContext } from './context.js';
import { failureLines, ProgressBar, progressLine, signalTable, summary } from './render.js';
import { ensureSchedule } from './schedule.js';

export type { ClientContext } from './context.js';

/** Starts an ad-hoc cycle; returns its handle at once. */
export async function startCycle(
  ctx: ClientContext,
  input: ScanInput,
  cycleId = newAdhocCycleId(),
): Promise<WorkflowHandle<typeof scanMarketWorkflow>> {
  const client = await ctx.temporal();
  return client.workflow.start<typeof scanMarketWorkflow>(
    CYCLE_WORKFLOW_TYPE,
    adhocCycleOptions(ctx.config.TEMPORAL_TASK_QUEUE, cycleId, input),
  );
}

/** How an ad-hoc cycle is started: its input, and the summary and details the Web UI shows for it. */
export function adhocCycleOptions(taskQueue: string, cycleId: string, input: ScanInput) {
  return cycleStartOptions(taskQueue, cycleId, { ...input, trigger: 'adhoc' });
}

/** Waits for a cycle's report, showing its progress on a TTY. */
export async function waitForCycle(ctx: ClientContext, handle: WorkflowHandle): Promise<CycleReport> {
  const result = handle.result() as Promise<CycleReport>;
  if (!ctx.interactive) return result;
  const bar = new ProgressBar();
  let finished = false;
  const poll = (async () => {
    while (!finished) {
      try {
        bar.update(await handle.query(progressQuery));
      } catch {
        // not started yet, or just finished
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  })();
  try {
    return await result;
  } finally {
    finished = true;
    await poll;
    bar.stop();
  }
}

export function printReport(ctx: ClientContext, report: CycleReport, json: boolean): void {
  if (json) {
    ctx.out(JSON.stringify(report, null, 2));
    return;
  }
  ctx.out(summary(report));
  ctx.out('');
  ctx.out(signalTable(report.signals));
  const failures = failureLines(report);
  if (failures) ctx.out(`\n${failures}`);
}

function describeError(error: unknown, cycleId: string): never {
  if (error instanceof WorkflowNotFoundError) throw new CycleNotFoundError(`no cycle ${cycleId}`);
  throw error;
}

/** status <cycleId> [--wait]: progress while running, summary when done. */
export async function cycleStatus(ctx: ClientContext, cycleId: string, wait: boolean): Promise<void> {
  const handle = (await ctx.temporal()).workflow.getHandle(cycleId);
  const description = await handle.describe().catch((e: unknown) => describeError(e, cycleId));
  if (description.type !== CYCLE_WORKFLOW_TYPE)
    throw new CycleNotFoundError(`${cycleId} is a ${description.type}, not a cycle`);
  const status = description.status.name;
  if (status === 'RUNNING' && !wait) {
    const progress: Progress = await handle.query(progressQuery);
    ctx.out(`${cycleId} RUNNING since ${description.startTime.toISOString()}: ${progressLine(progress)}`);
    return;
  }
  if (status === 'RUNNING' || status === 'COMPLETED') {
    printReport(ctx, await waitForCycle(ctx, handle), false);
    return;
  }
  ctx.out(`${cycleId} ${status} (started ${description.startTime.toISOString()})`);
}

const SCHEDULE_ACTIONS = ['create', 'describe', 'pause', 'unpause', 'trigger', 'delete'] as const;

/** schedule <action>: the one place the action is checked (an unknown one is a one-line error, exit 1). */
export async function scheduleCommand(ctx: ClientContext, action: string): Promise<void> {
  if (!(SCHEDULE_ACTIONS as readonly string[]).includes(action))
    throw new ConfigError(`unknown schedule action "${action}": use ${SCHEDULE_ACTIONS.join(', ')}`);
  const client = await ctx.temporal();
  const handle = client.schedule.getHandle(SCHEDULE_ID);
  switch (action) {
    case 'create':
      ctx.out(`schedule ${SCHEDULE_ID} ${await ensureSchedule(client, ctx.config)}`);
      return;
    case 'describe': {
      const d = await handle.describe();
      const next = d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString());
      ctx.out(
        [
          `schedule ${SCHEDULE_ID}: ${d.state.paused ? 'PAUSED' : 'active'}${d.state.note ? ` (${d.state.note})` : ''}`,
          `spec: ${JSON.stringify(d.spec)}`,
          `next: ${next.join(', ') || '-'}`,
          `actions taken: ${d.info.numActionsTaken}, skipped for overlap: ${d.info.numActionsSkippedOverlap}`,
          `running: ${d.info.runningActions.map((a) => a.workflow.workflowId).join(', ') || '-'}`,
        ].join('\n'),
      );
      return;
    }
    case 'pause':
      await handle.pause('paused from the client');
      ctx.out(`schedule ${SCHEDULE_ID} paused`);
      return;
    case 'unpause':
      await handle.unpause('unpaused from the client');
      ctx.out(`schedule ${SCHEDULE_ID} unpaused`);
      return;
    case 'trigger':
      await handle.trigger();
      ctx.out(`schedule ${SCHEDULE_ID} triggered`);
      return;
    case 'delete':
      await handle.delete();
      ctx.out(`schedule ${SCHEDULE_ID} deleted`);
      return;
  }
}
