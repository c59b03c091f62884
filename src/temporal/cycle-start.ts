/**
 * @module
 * How a cycle is started, for every starter (the client's `scan`, the
 * Schedule's action, the close trigger): its input from the configuration,
 * and the summary and details the Web UI shows for it.
 */
import type { Config } from '../config.js';
import { cycleDetails, cycleSummary } from '../contract/summaries.js';
import type { ScanInput, Trigger } from '../contract/types.js';

/** A whole-market cycle as configured (SCAN_TIMEFRAMES, SCAN_CANDLE_LIMIT, SCAN_BATCH_SIZE). */
export function configuredScan(
  config: Pick<Config, 'SCAN_TIMEFRAMES' | 'SCAN_CANDLE_LIMIT' | 'SCAN_BATCH_SIZE'>,
  trigger: Trigger,
): ScanInput {
  return {
    trigger,
    timeframes: config.SCAN_TIMEFRAMES,
    candleLimit: config.SCAN_CANDLE_LIMIT,
    batchSize: config.SCAN_BATCH_SIZE,
  };
}

/** The options a cycle is started with: its id, its input, what the Web UI shows. */
export function cycleStartOptions(taskQueue: string, workflowId: string, input: ScanInput) {
  return {
    taskQueue,
    workflowId,
    args: [input] as [ScanInput],
    staticSummary: cycleSummary(input),
    staticDetails: cycleDetails(input),
  };
}
