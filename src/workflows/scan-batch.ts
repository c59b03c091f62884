import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities.js';
import type { AnalyzeBatchResult, BatchInput, BatchResult } from '../scan/types.js';
import { activityRetry } from './retry-policies.js';

const { fetchCandles } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  // A worker that dies mid-fetch is noticed within this, and the retry resumes from the heartbeat.
  heartbeatTimeout: '30 seconds',
  retry: activityRetry(6),
});

const { analyzeBatch } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: activityRetry(6),
});

/**
 * One batch of symbols: fetch their candles into the cache (only keys and
 * counts come back through history), then analyse them from the cache.
 */
export async function scanBatchWorkflow(input: BatchInput): Promise<BatchResult> {
  const fetched = await fetchCandles({
    cycleId: input.cycleId,
    symbols: input.symbols,
    timeframes: input.timeframes,
    candleLimit: input.candleLimit,
  });
  const ready = fetched.stored;
  const analyzed: AnalyzeBatchResult =
    ready.length > 0
      ? await analyzeBatch({
          cycleId: input.cycleId,
          symbols: ready,
          timeframes: input.timeframes,
          candleLimit: input.candleLimit,
        })
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
