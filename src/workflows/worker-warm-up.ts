/**
 * @module
 * The workflow a new worker runs on itself before it says it is ready, so
 * that its first cycle runs on warm code. A cycle's first workflow tasks on
 * a new process cost ~100 ms more than on a warm one (the SDK compiles its
 * protobuf codecs on their first use, V8 compiles the workflow code, the
 * first local activities and child workflows take their slow paths). This
 * takes the same paths: one batch, a child workflow that reads its symbols
 * from the store and analyses them (local activities), on symbols whose
 * series the store holds fresh (none when it is empty), so nothing is
 * fetched (one gone stale in between would be, as a cycle would fetch it).
 * No report is made or saved, no search attribute set (no query for cycles
 * finds it).
 */
import { executeChild, workflowInfo } from '@temporalio/workflow';
import { batchWorkflowId } from '../contract/ids.js';
import type { Timeframe } from '../core/timeframes.js';
import { scanBatchWorkflow } from './scan-batch.js';

export interface WorkerWarmUpInput {
  symbols: string[];
  timeframes: Timeframe[];
  candleLimit: number;
}

/** How many symbols the batch analysed (signals are not kept). */
export async function workerWarmUpWorkflow(input: WorkerWarmUpInput): Promise<{ scanned: number }> {
  const warmUpId = workflowInfo().workflowId;
  const batch = await executeChild(scanBatchWorkflow, {
    workflowId: batchWorkflowId(warmUpId, 0),
    staticSummary: `Worker warm-up: ${input.symbols.length} symbols from the store`,
    args: [{ cycleId: warmUpId, batchIndex: 0, ...input }],
  });
  return { scanned: batch.scanned };
}
