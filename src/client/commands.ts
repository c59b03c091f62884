import { type Client, type WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import type { ReportStore } from '../reports/report-store.js';
import { ADHOC_WORKFLOW_ID_PREFIX, SCHEDULE_ID } from '../scan/task-queue.js';
import {
  ScanSignals,
  ScanStatus,
  ScanSymbolsFailed,
  ScanSymbolsScanned,
  ScanTrigger,
} from '../scan/search-attributes.js';
import { cycleDetails, cycleSummary } from '../scan/summaries.js';
import type { CycleReport, Progress, ScanInput } from '../scan/types.js';
import { progressQuery, scanMarketWorkflow } from '../workflows/index.js';
import { failureLines, ProgressBar, progressLine, signalTable, summary, table } from './render.js';
import { ensureSchedule } from './schedule.js';

/** What every command works with; built once by the CLI (or a test). */
export interface ClientContext {
  /** Connects to Temporal on first use (a report needs only Redis). */
  temporal: () => Promise<Client>;
  config: Config;
  reports: () => Promise<ReportStore>;
  out: (text: string) => void;
  /** Show a live progress bar (stdout is a TTY and JSON was not asked for). */
  interactive: boolean;
}

export class CycleNotFoundError extends ConfigError {
  override name = 'CycleNotFoundError';
}

export function newCycleId(now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${ADHOC_WORKFLOW_ID_PREFIX}-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

export function webUiLink(config: Config, cycleId: string, uiBase = 'http://localhost:8233'): string {
  return `${uiBase}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(cycleId)}`;
}

/** Starts an ad-hoc cycle; returns its handle at once. */
export async function startCycle(
  ctx: ClientContext,
  input: ScanInput,
  cycleId = newCycleId(),
): Promise<WorkflowHandle<typeof scanMarketWorkflow>> {
  const client = await ctx.temporal();
  return client.workflow.start(
    scanMarketWorkflow,
    adhocCycleOptions(ctx.config.TEMPORAL_TASK_QUEUE, cycleId, input),
  );
}

/** How an ad-hoc cycle is started: its input, and the summary and details the Web UI shows for it. */
export function adhocCycleOptions(taskQueue: string, cycleId: string, input: ScanInput) {
  const adhoc: ScanInput = { ...input, trigger: 'adhoc' };
  return {
    taskQueue,
    workflowId: cycleId,
    args: [adhoc] as [ScanInput],
    staticSummary: cycleSummary(adhoc),
    staticDetails: cycleDetails(adhoc),
  };
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
  if (description.type !== 'scanMarketWorkflow')
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

/** cycles: recent cycles from Temporal visibility, with the figures each set as search attributes. */
export async function listCycles(ctx: ClientContext, limit: number): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  const client = await ctx.temporal();
  for await (const wf of client.workflow.list({
    query: `WorkflowType = 'scanMarketWorkflow'`,
    pageSize: limit,
  })) {
    const attributes = wf.typedSearchAttributes;
    const duration = wf.closeTime
      ? `${((wf.closeTime.getTime() - wf.startTime.getTime()) / 1000).toFixed(1)} s`
      : '-';
    rows.push([
      wf.workflowId,
      // Temporal's status, refined by the cycle's own (a completed cycle may have run degraded).
      wf.status.name === 'COMPLETED' ? (attributes.get(ScanStatus) ?? 'completed') : wf.status.name,
      attributes.get(ScanTrigger) ?? '-',
      wf.startTime.toISOString(),
      duration,
      attributes.get(ScanSymbolsScanned) ?? '-',
      attributes.get(ScanSignals) ?? '-',
      attributes.get(ScanSymbolsFailed) ?? '-',
    ]);
    if (rows.length >= limit) break;
  }
  ctx.out(
    rows.length === 0
      ? 'no cycles yet'
      : table(['cycle', 'status', 'trigger', 'started', 'took', 'scanned', 'signals', 'failures'], rows),
  );
}

/** report <cycleId|latest>: the saved report. */
export async function showReport(ctx: ClientContext, which: string, json: boolean): Promise<void> {
  const store = await ctx.reports();
  const cycleId = which === 'latest' ? (await store.recent(1))[0] : which;
  if (!cycleId) throw new CycleNotFoundError('no report saved yet');
  const report = await store.get(cycleId);
  if (!report) throw new CycleNotFoundError(`no report for ${cycleId}`);
  printReport(ctx, report, json);
}

export async function scheduleCommand(ctx: ClientContext, action: string): Promise<void> {
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
    default:
      throw new ConfigError(
        `unknown schedule action "${action}": use create, describe, pause, unpause, trigger or delete`,
      );
  }
}
