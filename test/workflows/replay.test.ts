import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/contract/types.js';
import { WORKFLOWS_PATH } from '../../src/worker/workflow-source.js';
import { CURRENT_GENERATION, recordedHistories, type RecordedHistory } from '../helpers/histories.js';

/**
 * Histories of real full cycles (test/helpers/histories.ts), replayed against
 * the current workflow code: a change that breaks determinism fails here,
 * for the histories of this generation and of every older one.
 */
describe('replay of recorded cycles', () => {
  const recorded = recordedHistories();
  const find = (generation: string, name: string) =>
    recorded.find((r) => r.generation === generation && r.name === name)!.history;
  const result = (history: RecordedHistory['history']) => {
    const completed = history.events.find((e) => e.workflowExecutionCompletedEventAttributes);
    const payload = completed!.workflowExecutionCompletedEventAttributes!.result!.payloads![0]!;
    return JSON.parse(Buffer.from(payload.data!).toString()) as CycleReport & Record<string, unknown>;
  };

  it('has, for each generation, a clean, a crashed and a faulty cycle with one of their batches (v3: and a delivery, and a worker warm-up with its batch)', () => {
    const names = [
      'scan-market',
      'scan-batch',
      'crash-scan-market',
      'crash-scan-batch',
      'faults-scan-market',
      'faults-scan-batch',
    ];
    for (const generation of ['v1', 'v2', CURRENT_GENERATION])
      expect(
        recorded
          .filter((r) => r.generation === generation)
          .map((r) => r.name)
          .sort(),
        generation,
      ).toEqual(
        [
          ...names,
          ...(generation === CURRENT_GENERATION
            ? ['deliver-alerts', 'worker-warm-up', 'worker-warm-up-batch']
            : []),
        ].sort(),
      );
  });

  it('include full-size cycles with failures, request retries and activity retries after worker deaths', () => {
    for (const generation of ['v1', 'v2', CURRENT_GENERATION]) {
      const faults = result(find(generation, 'faults-scan-market'));
      expect(faults.symbolsRequested).toBe(530);
      expect(faults.failures.length).toBeGreaterThan(0);
      expect(faults.stats.retries).toBeGreaterThan(0);
      const crashed = find(generation, 'crash-scan-batch');
      const attempts = crashed.events.map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0);
      expect(Math.max(...attempts), generation).toBeGreaterThan(1);
    }
  });

  it('keep the payload shapes of their generation: v1 before each figure was carried once', () => {
    expect(result(find('v1', 'scan-market')).stats).toHaveProperty('l1Hits');
    expect(result(find(CURRENT_GENERATION, 'scan-market')).stats).toHaveProperty('answers');
    expect(result(find(CURRENT_GENERATION, 'scan-market')).stats).not.toHaveProperty('l1Hits');
  });

  it('v3 runs the short steps as local activities and knows the close each cycle serves', () => {
    const report = result(find('v3', 'scan-market'));
    expect(Date.parse(report.closeTime!)).toBeGreaterThan(0);
    expect(report.closeToReportMs).toBeGreaterThan(0);
    const batch = find('v3', 'scan-batch');
    // The store's answer and the analysis: markers in the batch's own history, no activity tasks.
    expect(batch.events.filter((e) => e.markerRecordedEventAttributes).length).toBeGreaterThanOrEqual(2);
  });

  it("v3's worker warm-up started one batch child over stored symbols, which fetched nothing", () => {
    const warmUp = find('v3', 'worker-warm-up');
    const children = warmUp.events.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
    expect(
      children.map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes!.workflowType!.name),
    ).toEqual(['scanBatchWorkflow']);
    expect(result(warmUp)).toEqual({ scanned: 180 });
    const batch = result(find('v3', 'worker-warm-up-batch'));
    expect(batch.stats.restRequests).toBe(0);
  });

  it.each(recorded.map((r) => [`${r.generation}/${r.name}`, r] as const))(
    '%s replays without nondeterminism',
    async (_, { history, workflowId, name }) => {
      // Whole histories, not stubs (the shortest, a warm-up batch that fetched nothing, has 9 events).
      expect(history.events.length).toBeGreaterThan(5);
      await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, replayName: name }, history, workflowId);
    },
  );
});
