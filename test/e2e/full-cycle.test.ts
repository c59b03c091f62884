import { writeFileSync, mkdirSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportKey } from '../../src/cache/keys.js';
import { WORKFLOWS_PATH } from '../../src/runtime/workflow-source.js';
import {
  ScanSignals,
  ScanStatus,
  ScanSymbolsFailed,
  ScanSymbolsScanned,
  ScanTrigger,
} from '../../src/scan/search-attributes.js';
import { adhocCycleOptions } from '../../src/client/commands.js';
import type { CycleReport } from '../../src/scan/types.js';
import { scanMarketWorkflow } from '../../src/workflows/index.js';
import { startStack, type Stack } from '../helpers/stack.js';

/** Encoded size of each history event: what counts against Temporal's limits. */
function eventSizes(history: temporal.api.history.v1.IHistory): Array<{ type: string; bytes: number }> {
  return (history.events ?? []).map((event) => ({
    type: String(event.eventType),
    bytes: temporal.api.history.v1.HistoryEvent.encode(event).finish().length,
  }));
}

describe('a full cycle on the real stack (530 symbols × 1h, 15m, 5m)', () => {
  let stack: Stack;
  let report: CycleReport;
  const cycleId = `scan-adhoc-e2e-${Date.now()}`;

  beforeAll(async () => {
    stack = await startStack({ sim: { latencyMs: 100, prewarm: true } });
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
    expect(report.batches).toBe(9);
    expect(report.stats.restRequests).toBe(1590);
    expect(report.stats.sources.rest).toBe(1590);
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
      `second cycle: ${Date.now() - started} ms, ${second.stats.restRequests} REST requests, ${second.stats.sources.cache} cache answers`,
    );
    expect(second.symbolsScanned).toBe(530);
    // 1h and 15m series stay fresh; only the 5m ones may have closed a candle meanwhile (incremental).
    expect(second.stats.sources.cache).toBeGreaterThanOrEqual(1060);
    expect(second.stats.restRequests).toBeLessThanOrEqual(530 + 1);
    expect(second.stats.l1Hits + second.stats.l2Hits).toBe(second.stats.sources.cache);
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
    expect(children.sort()).toEqual(Array.from({ length: 9 }, (_, i) => `${cycleId}/batch-0${i + 1}`));
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

    const batch = await stack.env.client.workflow.getHandle(`${cycleId}/batch-03`).describe();
    expect(await batch.staticSummary()).toMatch(/^Batch 3\/9: 64 symbols, \w+ … \w+$/);
    expect(await batch.staticDetails()).toContain('**Symbols (64):**');
    const history = await stack.env.client.workflow.getHandle(`${cycleId}/batch-03`).fetchHistory();
    const summaries = [];
    for (const event of history.events ?? []) {
      const summary = event.userMetadata?.summary;
      if (event.activityTaskScheduledEventAttributes && summary)
        summaries.push(JSON.parse(Buffer.from(summary.data!).toString()) as string);
    }
    expect(summaries).toEqual([
      'Batch 3: candles of 64 symbols × 1h, 15m, 5m',
      'Batch 3: indicators and signals of 64 symbols',
    ]);

    // A person filters cycles by them in the UI's list (the same query language).
    const found = [];
    for await (const wf of stack.env.client.workflow.list({
      query: `ScanStatus = 'completed' AND ScanTrigger = 'adhoc' AND ScanSymbolsScanned = 530 AND ScanSignals > 0`,
    }))
      found.push(wf.workflowId);
    expect(found).toContain(cycleId);
  });

  it('saved a report in Redis equal to the workflow result', async () => {
    const redis = createClient({ url: stack.config.REDIS_URL });
    await redis.connect();
    const saved = await redis.get(reportKey(cycleId));
    await redis.quit();
    expect(JSON.parse(saved!)).toEqual(report);
  });

  it('keeps candles out of history: no event over 10 KB', async () => {
    const ids = [cycleId, ...Array.from({ length: 9 }, (_, i) => `${cycleId}/batch-0${i + 1}`)];
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
      if (process.env.RECORD_HISTORY === '1') {
        mkdirSync('test/fixtures', { recursive: true });
        const name = id === cycleId ? 'scan-market' : 'scan-batch';
        writeFileSync(
          `test/fixtures/${name}.history.pb`,
          temporal.api.history.v1.History.encode(history).finish(),
        );
        // Replay needs the original workflow id (child ids derive from it).
        writeFileSync(`test/fixtures/${name}.workflow-id`, id);
      }
    }
    const results = Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, histories);
    for await (const result of results) expect(result.error, result.workflowId).toBeUndefined();
  });
});
