import type { BatchStats } from './types.js';

/** Statistics of a batch that fetched nothing (also the start of a sum). */
export function emptyStats(): BatchStats {
  return {
    fetchMs: 0,
    analyzeMs: 0,
    restRequests: 0,
    restWeight: 0,
    retries: 0,
    cacheHits: 0,
    l1Hits: 0,
    l2Hits: 0,
    cacheMisses: 0,
    sources: { cache: 0, stream: 0, rest: 0 },
    cacheDegraded: false,
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
  total.cacheHits += s.cacheHits;
  total.l1Hits += s.l1Hits;
  total.l2Hits += s.l2Hits;
  total.cacheMisses += s.cacheMisses;
  total.cacheDegraded ||= s.cacheDegraded;
  total.sources.cache += s.sources.cache;
  total.sources.stream += s.sources.stream;
  total.sources.rest += s.sources.rest;
}
