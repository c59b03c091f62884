import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLedger } from '../helpers/ledger.js';
import { batchWorkflowId } from '../../src/contract/ids.js';
import { BATCH_SIZE } from '../../src/core/limits.js';
import { WORKFLOWS_PATH } from '../../src/worker/workflow-source.js';
import {
  ScanSignals,
  ScanStatus,
  ScanSymbolsFailed,
  ScanSymbolsScanned,
  ScanTrigger,
} from '../../src/contract/search-attributes.js';
import { adhocCycleOptions } from '../../src/client/commands.js';
import type { CycleReport } from '../../src/contract/types.js';
import { scanMarketWorkflow } from '../../src/workflows/index.js';
import { recordHistory } from '../helpers/histories.js';
import { startStack, type Stack } from '../helpers/stack.js';

/** Encoded size of each history event: what counts against Temporal's limits. */
function eventSizes(history: temporal.api.history.v1.IHistory): Array<{ type: string; bytes: number }> {
  return (history.events ?? []).map((event) => ({
    type: String(event.eventType),
    bytes: temporal.api.history.v1.HistoryEvent.encode(event).finish().length,
  }));
}

/** The whole simulated market in batches of the default size. */
const BATCHES = Math.ceil(530 / BATCH_SIZE.default);

describe('a full cycle on the real stack (530 symbols × 1h, 15m, 5m)', () => {
  let stack: Stack;
  let report: CycleReport;
  const cycleId = `scan-adhoc-e2e-${Date.now()}`;

  beforeAll(async () => {
    // A fixed start, 4 min before a 5m close and 14 min before a 15m close: the second cycle's
    // expectations below allow for a 5m close between the two cycles, not for a 15m one.
    stack = await startStack({
      sim: { latencyMs: 100, prewarm: true, startTime: Date.UTC(2026, 0, 5, 10, 1) },
    });
    const started = Date.now();
    report = await stack.env.client.workflow.execute(
      scanMarketWorkflow,
      adhocCycleOptions(stack.config.TEMPORAL_TASK_QUEUE, cycleId, {}),
    );
    console.log(
      `cold full cycle: ${Date.now() - started} ms (workflow ${report.durationMs} ms), ${report.signals.length} signals`,
    );
  }, 300_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('scans every symbol: 530 scanned, no failures, 1,590 REST requests', () => {
    expect(report.symbolsRequested).toBe(530);
    expect(report.symbolsScanned).toBe(530);
    expect(report.failures).toEqual([]);
    expect(report.batches).toBe(BATCHES);
    expect(report.stats.restRequests).toBe(1590);
    expect(report.stats.answers.rest).toBe(1590);
    expect(report.timeframes).toEqual(['1h', '15m', '5m']);
  });

  it('answers a second cycle right after from the candle store', async () => {
    const started = Date.now();
    const second = await stack.env.client.workflow.execute(scanMarketWorkflow, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId: `${cycleId}-again`,
      args: [{ trigger: 'adhoc' }],
    });
    console.log(
      `second cycle: ${Date.now() - started} ms, ${second.stats.restRequests} REST requests, ${second.stats.answers.l1 + second.stats.answers.l2} cache answers`,
    );
    expect(second.symbolsScanned).toBe(530);
    // 1h and 15m series stay fresh; only the 5m ones may have closed a candle meanwhile (incremental).
    expect(second.stats.answers.l1 + second.stats.answers.l2).toBeGreaterThanOrEqual(1060);
    expect(second.stats.restRequests).toBeLessThanOrEqual(530 + 1);
    // Every series answered once, by one tier.
    expect(Object.values(second.stats.answers).reduce((a, b) => a + b, 0)).toBe(1590);
    expect(second.stats.cacheDegraded).toBe(false);
  }, 120_000);

  it('finds some signals, not none and not most symbols, ranked', () => {
    expect(report.signals.length).toBeGreaterThan(0);
    expect(report.signals.length).toBeLessThan(530 / 2);
    for (let i = 1; i < report.signals.length; i++)
      expect(report.signals[i]!.score).toBeLessThanOrEqual(report.signals[i - 1]!.score);
    for (const s of report.signals) {
      expect(
        s.direction === 'LONG'
          ? s.stop < s.price && s.price < s.target
          : s.stop > s.price && s.price > s.target,
      ).toBe(true);
    }
  });

  it('ran one child workflow per batch, with business ids', async () => {
    const children = [];
    for await (const execution of stack.env.client.workflow.list({
      query: `WorkflowType = 'scanBatchWorkflow'`,
    })) {
      if (execution.workflowId.startsWith(`${cycleId}/`)) children.push(execution.workflowId);
    }
    expect(children.sort()).toEqual(Array.from({ length: BATCHES }, (_, i) => batchWorkflowId(cycleId, i)));
  });

  it('reads well in the Web UI: summaries, details, current details and search attributes', async () => {
    const cycle = await stack.env.client.workflow.getHandle(cycleId).describe();
    expect(await cycle.staticSummary()).toBe('Market scan (adhoc): the whole market on 1h, 15m, 5m');
    expect(await cycle.staticDetails()).toContain('**Trigger:** adhoc');
    expect(cycle.typedSearchAttributes.get(ScanTrigger)).toBe('adhoc');
    expect(cycle.typedSearchAttributes.get(ScanStatus)).toBe('completed');
    expect(cycle.typedSearchAttributes.get(ScanSymbolsScanned)).toBe(530);
    expect(cycle.typedSearchAttributes.get(ScanSymbolsFailed)).toBe(0);
    expect(cycle.typedSearchAttributes.get(ScanSignals)).toBe(report.signals.length);
    // The page's "current details" come from the SDK's built-in metadata query.
    const metadata = await stack.env.client.workflow
      .getHandle(cycleId)
      .query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toMatch(
      /^\*\*completed\*\* in [\d.]+ s: 530\/530 symbols scanned, 0 failed/,
    );

    const last = 530 - (BATCHES - 1) * BATCH_SIZE.default;
    const batch = await stack.env.client.workflow.getHandle(batchWorkflowId(cycleId, BATCHES - 1)).describe();
    expect(await batch.staticSummary()).toMatch(
      new RegExp(`^Batch ${BATCHES}/${BATCHES}: ${last} symbols, \\w+ … \\w+$`),
    );
    expect(await batch.staticDetails()).toContain(`**Symbols (${last}):**`);
    const history = await stack.env.client.workflow
      .getHandle(batchWorkflowId(cycleId, BATCHES - 1))
      .fetchHistory();
    const summaries = [];
    for (const event of history.events ?? []) {
      const summary = event.userMetadata?.summary;
      // Local activities are recorded as markers; the cold fetch is a scheduled activity.
      if ((event.activityTaskScheduledEventAttributes || event.markerRecordedEventAttributes) && summary)
        summaries.push(JSON.parse(Buffer.from(summary.data!).toString()) as string);
    }
    // Cold: the store had nothing, so every symbol went on to the exchange.
    expect(summaries).toEqual([
      `Batch ${BATCHES}: candles of ${last} symbols × 1h, 15m, 5m from the store`,
      `Batch ${BATCHES}: candles of ${last} symbols × 1h, 15m, 5m`,
      `Batch ${BATCHES}: indicators and signals of ${last} symbols`,
    ]);

    // A person filters cycles by them in the UI's list (the same query language).
    const found = [];
    for await (const wf of stack.env.client.workflow.list({
      query: `ScanStatus = 'completed' AND ScanTrigger = 'adhoc' AND ScanSymbolsScanned = 530 AND ScanSignals > 0`,
    }))
      found.push(wf.workflowId);
    expect(found).toContain(cycleId);
  });

  it('recorded the report in the ledger equal to the workflow result, its signals with it', async () => {
    await withLedger(async (ledger) => {
      expect(await ledger.report(cycleId)).toEqual(report);
      // The ledger's first cycle: each signal is new, and open.
      expect(report.ledger?.openSignals).toBe(report.signals.length);
      const first = (await ledger.signals()).filter((s) => s.firstCycleId === cycleId);
      expect(first.map((s) => `${s.symbol} ${s.direction}`).sort()).toEqual(
        report.signals.map((s) => `${s.symbol} ${s.direction}`).sort(),
      );
    });
  });

  it('keeps candles out of history: no event over 10 KB', async () => {
    const ids = [cycleId, ...Array.from({ length: BATCHES }, (_, i) => batchWorkflowId(cycleId, i))];
    for (const id of ids) {
      const history = await stack.env.client.workflow.getHandle(id).fetchHistory();
      const largest = eventSizes(history).sort((a, b) => b.bytes - a.bytes)[0]!;
      // The parent's completion carries the whole report (signals + failures); children carry keys and counts.
      const limit = id === cycleId ? 200_000 : 10_000;
      expect(largest.bytes, `${id}: ${largest.type}`).toBeLessThan(limit);
    }
  });

  it('replays the recorded histories deterministically', async () => {
    const histories = [];
    for (const id of [cycleId, `${cycleId}/batch-01`]) {
      const history = await stack.env.client.workflow.getHandle(id).fetchHistory();
      histories.push({ workflowId: id, history });
      recordHistory(id === cycleId ? 'scan-market' : 'scan-batch', id, history);
    }
    const results = Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, histories);
    for await (const result of results) expect(result.error, result.workflowId).toBeUndefined();
  });
});
