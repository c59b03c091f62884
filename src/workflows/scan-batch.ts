/**
 * @module
 * One batch of symbols: fetch their candles into the candle store (only
 * symbols and counts come back through history), then analyse them from it.
 *
 * Since 2026-12 (the patch LOCAL_ACTIVITIES) the short steps are local
 * activities, run inside the batch's workflow task: what the store already
 * holds fresh, and the analysis. Only what the store lacks goes to the
 * heartbeating fetchCandles activity, so a cold fetch still resumes from its
 * last heartbeat after a crash, and a warm batch needs a single workflow
 * task. Histories recorded before the patch replay through the old path.
 */
import {
  type ActivityOptions,
  type LocalActivityOptions,
  patched,
  proxyActivities,
  proxyLocalActivities,
} from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities.js';
import { analyzeSummary, fetchSummary, storeSummary } from '../contract/summaries.js';
import type {
  AnalyzeBatchResult,
  BatchInput,
  BatchResult,
  FetchCandlesResult,
  SeriesRequest,
} from '../contract/types.js';
import { addFetchStats } from '../contract/batch-stats.js';
import { LOCAL_ACTIVITIES } from './patches.js';
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

const LOCAL_OPTIONS: LocalActivityOptions = {
  // Both read the store only (memory, or Redis after a restart): seconds at the very most.
  startToCloseTimeout: '30 seconds',
  retry: activityRetry(6),
};

const local = proxyLocalActivities<Activities>(LOCAL_OPTIONS);

const NOTHING_ANALYSED: AnalyzeBatchResult = { signals: [], failures: [], analyzeMs: 0 };

export async function scanBatchWorkflow(input: BatchInput): Promise<BatchResult> {
  const { cycleId, batchIndex, symbols, timeframes, candleLimit } = input;
  const request = (of: string[]): SeriesRequest => ({ cycleId, symbols: of, timeframes, candleLimit });
  const fetchRemote = (of: string[]) =>
    fetchCandles.executeWithOptions(
      { ...FETCH_OPTIONS, summary: fetchSummary(batchIndex, of.length, timeframes) },
      [request(of)],
    );

  const locally = patched(LOCAL_ACTIVITIES);
  let fetched: FetchCandlesResult;
  if (locally) {
    const warm = await local.fetchFromStore.executeWithOptions(
      { ...LOCAL_OPTIONS, summary: storeSummary(batchIndex, symbols.length, timeframes) },
      [request(symbols)],
    );
    const cold = warm.missing.length > 0 ? await fetchRemote(warm.missing) : undefined;
    const stored = new Set([...warm.stored, ...(cold?.stored ?? [])]);
    fetched = {
      // In the batch's order, whichever path each symbol took.
      stored: symbols.filter((s) => stored.has(s)),
      failures: cold?.failures ?? [],
      stats: cold ? addFetchStats(warm.stats, cold.stats) : warm.stats,
    };
  } else fetched = await fetchRemote(symbols);
  const analyzed =
    fetched.stored.length > 0
      ? await (locally ? local.analyzeBatch : analyzeBatch).executeWithOptions(
          {
            ...(locally ? LOCAL_OPTIONS : ANALYZE_OPTIONS),
            summary: analyzeSummary(batchIndex, fetched.stored.length),
          },
          [request(fetched.stored)],
        )
      : NOTHING_ANALYSED;
  return {
    batchIndex,
    symbols: symbols.length,
    scanned: fetched.stored.length - analyzed.failures.length,
    signals: analyzed.signals,
    failures: [...fetched.failures, ...analyzed.failures],
    stats: { ...fetched.stats, analyzeMs: analyzed.analyzeMs },
  };
}
