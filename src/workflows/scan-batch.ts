import { type ActivityOptions, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities.js';
import type { AnalyzeBatchResult, BatchInput, BatchResult } from '../scan/types.js';
import { analyzeSummary, fetchSummary } from '../scan/summaries.js';
import { activityRetry } from './retry-policies.js';

const FETCH_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  // A worker that dies mid-fetch is noticed within this, and the retry resumes from the heartbeat.
  heartbeatTimeout: '15 seconds',
  retry: activityRetry(6),
};

const ANALYZE_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: activityRetry(6),
};

// Called with each batch's own summary (the Web UI's timeline then says which batch an activity serves).
const { fetchCandles, analyzeBatch } = proxyActivities<Activities>(FETCH_OPTIONS);

/**
 * One batch of symbols: fetch their candles into the cache (only keys and
 * counts come back through history), then analyse them from the cache.
 */
export async function scanBatchWorkflow(input: BatchInput): Promise<BatchResult> {
  const fetched = await fetchCandles.executeWithOptions(
    { ...FETCH_OPTIONS, summary: fetchSummary(input.batchIndex, input.symbols.length, input.timeframes) },
    [
      {
        cycleId: input.cycleId,
        symbols: input.symbols,
        timeframes: input.timeframes,
        candleLimit: input.candleLimit,
      },
    ],
  );
  const ready = fetched.stored;
  const analyzed: AnalyzeBatchResult =
    ready.length > 0
      ? await analyzeBatch.executeWithOptions(
          { ...ANALYZE_OPTIONS, summary: analyzeSummary(input.batchIndex, ready.length) },
          [
            {
              cycleId: input.cycleId,
              symbols: ready,
              timeframes: input.timeframes,
              candleLimit: input.candleLimit,
            },
          ],
        )
      : { signals: [], failures: [], analyzeMs: 0, refetched: 0 };
  return {
    batchIndex: input.batchIndex,
    symbols: input.symbols.length,
    scanned: ready.length - analyzed.failures.length,
    signals: analyzed.signals,
    failures: [...fetched.failures, ...analyzed.failures],
    stats: { ...fetched.stats, analyzeMs: analyzed.analyzeMs },
  };
}
