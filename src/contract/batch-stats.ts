/**
 * @module
 * Summing the figures of a cycle's batches.
 */
import { CANDLE_TIERS } from '../core/candles.js';
import type { BatchStats, FetchStats, TierCounts } from './types.js';

/** No series answered yet, by any tier. */
export function noAnswers(): TierCounts {
  return { l1: 0, l2: 0, stream: 0, rest: 0 };
}

/** Adds the answers of `more` into `into`. */
function addAnswers(into: TierCounts, more: TierCounts): void {
  for (const tier of CANDLE_TIERS) into[tier] += more[tier];
}

/** Statistics of a batch that fetched nothing (also the start of a sum). */
export function emptyStats(): BatchStats {
  return {
    fetchMs: 0,
    analyzeMs: 0,
    restRequests: 0,
    restWeight: 0,
    retries: 0,
    answers: noAnswers(),
    cacheDegraded: false,
  };
}

/**
 * The figures of batches recorded before each was carried once (cycles of
 * November 2026: test/fixtures/histories/v1, and reports saved then): hit
 * counts beside `sources` instead of `answers`. A worker upgraded mid-cycle
 * replays and finishes such cycles, and the client still shows such reports.
 */
interface LegacyStats {
  l1Hits: number;
  l2Hits: number;
  sources: { stream: number; rest: number };
}

type RecordedStats = BatchStats | (Omit<BatchStats, 'answers'> & LegacyStats);

/** The figures in today's shape, whichever shape they were recorded in (the type says today's; history may not). */
export function upgradeStats(recorded: BatchStats): BatchStats {
  const stats = recorded as RecordedStats;
  if ('answers' in stats) return stats;
  const { l1Hits, l2Hits, sources, ...rest } = stats;
  const answers: TierCounts = { l1: l1Hits, l2: l2Hits, stream: sources.stream, rest: sources.rest };
  // The legacy shape's other redundant figures (cacheHits, cacheMisses) go too.
  const { cacheHits: _hits, cacheMisses: _misses, ...kept } = rest as typeof rest & Record<string, unknown>;
  return { ...kept, answers };
}

/** Two fetches one after the other (the store, then the exchange): their times and counts add up. */
export function addFetchStats(a: FetchStats, b: FetchStats): FetchStats {
  const answers = { ...a.answers };
  addAnswers(answers, b.answers);
  return {
    fetchMs: a.fetchMs + b.fetchMs,
    restRequests: a.restRequests + b.restRequests,
    restWeight: a.restWeight + b.restWeight,
    retries: a.retries + b.retries,
    answers,
    cacheDegraded: a.cacheDegraded || b.cacheDegraded,
  };
}

/**
 * Adds `s` into `total`. Batches run in parallel, so the times are those of
 * the slowest batch (the cycle's critical path); counts are sums.
 */
export function addStats(total: BatchStats, s: BatchStats): void {
  total.fetchMs = Math.max(total.fetchMs, s.fetchMs);
  total.analyzeMs = Math.max(total.analyzeMs, s.analyzeMs);
  total.restRequests += s.restRequests;
  total.restWeight += s.restWeight;
  total.retries += s.retries;
  total.cacheDegraded ||= s.cacheDegraded;
  addAnswers(total.answers, upgradeStats(s).answers);
}
