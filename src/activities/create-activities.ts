import pLimit from 'p-limit';
import { ApplicationFailure } from '@temporalio/activity';
import { evaluateSymbol } from '../analysis/rules.js';
import { symbolResolver } from '../exchange/symbol-resolver.js';
import type { RuleParams } from '../analysis/params.js';
import type { CandleStore } from '../cache/candle-store.js';
import { candleKeyPrefix } from '../cache/keys.js';
import type { CandlePipeline } from '../market-data/candle-pipeline.js';
import { ConfigError, reasonOf, ScannerError } from '../errors.js';
import type { MarketClient, RequestCounters } from '../exchange/market-client.js';
import type { Ohlcv } from '../market-data/validate-candles.js';
import type { ReportStore } from '../reports/report-store.js';
import type {
  AnalyzeBatchInput,
  AnalyzeBatchResult,
  CycleReport,
  FetchCandlesInput,
  FetchCandlesResult,
  Signal,
  SymbolFailure,
  Timeframe,
  Universe,
  UniverseRequest,
} from '../scan/types.js';
import type { StreamFeed } from '../market-data/stream-feed.js';
import type { ScannerMetrics } from '../metrics/scanner-metrics.js';
import { activityLog, heartbeat, lastHeartbeat } from './activity-context.js';

export interface UniverseFilter {
  include: string[];
  exclude: string[];
  minQuoteVolume: number;
}

export interface ActivityDeps {
  market: MarketClient;
  store: CandleStore;
  pipeline: CandlePipeline;
  reports: ReportStore;
  exchangeId: string;
  universe: UniverseFilter;
  /** The live streams, when the worker runs them: they follow the universe as it changes. */
  streams?: StreamFeed;
  /** Prometheus metrics of this worker, when it serves them. */
  metrics?: ScannerMetrics;
  /** Concurrent symbols per fetchCandles activity. */
  fetchConcurrency: number;
  rules?: RuleParams;
}

/**
 * Temporal turns an activity's thrown error into a retry unless it is
 * marked non-retryable: our permanent errors are, our temporary ones aren't.
 */
function toFailure(error: unknown): unknown {
  if (error instanceof ScannerError && !error.temporary) {
    return ApplicationFailure.nonRetryable(error.message, error.name);
  }
  return error;
}

const newCounters = (): RequestCounters => ({ requests: 0, weight: 0, retries: 0, usedWeight: 0 });

export function createActivities(deps: ActivityDeps) {
  const { market, store, pipeline, reports } = deps;

  async function listSymbols(request: UniverseRequest): Promise<Universe> {
    try {
      const perpetuals = await market.perpetuals();
      const resolve = symbolResolver(perpetuals);
      if (request.symbols && request.symbols.length > 0) {
        const symbols: string[] = [];
        const rejected: SymbolFailure[] = [];
        for (const name of request.symbols) {
          const symbol = resolve(name);
          if (symbol) symbols.push(symbol);
          else
            rejected.push({
              symbol: name,
              reason: 'UnknownSymbolError: not an active USDT perpetual on the exchange',
            });
        }
        return { symbols: [...new Set(symbols)], rejected };
      }
      const include = new Set(deps.universe.include.map((s) => resolve(s) ?? s));
      const exclude = new Set(deps.universe.exclude.map((s) => resolve(s) ?? s));
      let symbols = perpetuals
        .map((p) => p.symbol)
        .filter((s) => (include.size === 0 || include.has(s)) && !exclude.has(s));
      if (deps.universe.minQuoteVolume > 0) {
        const volumes = await market.quoteVolumes();
        symbols = symbols.filter((s) => (volumes.get(s) ?? 0) >= deps.universe.minQuoteVolume);
      }
      const added = deps.streams?.follow(symbols) ?? 0;
      if (added > 0) activityLog('info', 'new listings: live streams added', { streams: added });
      return { symbols, rejected: [] };
    } catch (error) {
      throw toFailure(error);
    }
  }

  async function fetchCandles(input: FetchCandlesInput): Promise<FetchCandlesResult> {
    const started = Date.now();
    const counters = newCounters();
    // A retried attempt (its worker died, or it timed out) starts where the
    // last one stopped: the symbols its heartbeats reported done are in the
    // store, and are not fetched again (analysis refetches any the store lost).
    const previous = new Set(lastHeartbeat<{ done: string[] }>()?.done ?? []);
    const done = input.symbols.filter((s) => previous.has(s));
    const resumed = done.length;
    const todo = input.symbols.filter((s) => !previous.has(s));
    activityLog('info', 'fetchCandles started', { cycleId: input.cycleId, symbols: todo.length, resumed });
    const failures: SymbolFailure[] = [];
    const sources = { l1: 0, l2: 0, stream: 0, rest: 0 };
    const l2ErrorsBefore = store.counters.l2Errors;
    const limit = pLimit(deps.fetchConcurrency);
    // Beat on a timer too: waiting for the weight budget or a Retry-After is
    // progress, and must not look like a dead worker to Temporal.
    const beat = setInterval(() => heartbeat({ done }), 5_000);
    try {
      await Promise.all(
        todo.map((symbol) =>
          limit(async () => {
            try {
              for (const timeframe of input.timeframes) {
                const { source } = await pipeline.series(symbol, timeframe, input.candleLimit, counters);
                sources[source]++;
              }
              done.push(symbol);
              heartbeat({ done });
            } catch (error) {
              const reason = reasonOf(error);
              failures.push({ symbol, reason });
              activityLog('warn', 'symbol not fetched', { cycleId: input.cycleId, symbol, reason });
            }
          }),
        ),
      );
    } finally {
      clearInterval(beat);
    }
    deps.metrics?.countAnswers(sources);
    const degraded = store.degraded || store.counters.l2Errors > l2ErrorsBefore;
    if (degraded)
      activityLog('warn', 'candle cache degraded: Redis unavailable, running on memory and REST', {
        cycleId: input.cycleId,
      });
    return {
      // In the input's order, so that a replay or a retry yields the same result.
      stored: input.symbols.filter((s) => done.includes(s)),
      keyPrefix: candleKeyPrefix(deps.exchangeId),
      failures,
      stats: {
        fetchMs: Date.now() - started,
        restRequests: counters.requests,
        restWeight: counters.weight,
        retries: counters.retries,
        cacheHits: sources.l1 + sources.l2,
        l1Hits: sources.l1,
        l2Hits: sources.l2,
        cacheMisses: sources.rest + sources.stream,
        sources: { cache: sources.l1 + sources.l2, stream: sources.stream, rest: sources.rest },
        cacheDegraded: degraded,
      },
    };
  }

  async function analyzeBatch(input: AnalyzeBatchInput): Promise<AnalyzeBatchResult> {
    const started = Date.now();
    const signals: Signal[] = [];
    const failures: SymbolFailure[] = [];
    let refetched = 0;
    for (const symbol of input.symbols) {
      try {
        const series: Partial<Record<Timeframe, Ohlcv[]>> = {};
        for (const timeframe of input.timeframes) {
          const stored = await store.get(symbol, timeframe);
          if (stored) {
            series[timeframe] = stored.candles;
          } else {
            // Evicted, or written to a Redis that went away since: fetch again rather than lose the symbol.
            refetched++;
            series[timeframe] = (await pipeline.series(symbol, timeframe, input.candleLimit)).candles;
          }
        }
        const evaluation = evaluateSymbol(symbol, series, input.timeframes, deps.rules);
        if (evaluation.signal) signals.push(evaluation.signal);
      } catch (error) {
        const reason = reasonOf(error);
        failures.push({ symbol, reason });
        activityLog('warn', 'symbol not analysed', { cycleId: input.cycleId, symbol, reason });
      }
    }
    return { signals, failures, analyzeMs: Date.now() - started, refetched };
  }

  async function saveReport(report: CycleReport): Promise<{ saved: boolean }> {
    if (!report.cycleId) throw toFailure(new ConfigError('a report needs its cycle id'));
    const saved = await reports.save(report);
    if (saved) deps.metrics?.cycleSaved(report);
    return { saved };
  }

  return { listSymbols, fetchCandles, analyzeBatch, saveReport };
}

export type Activities = ReturnType<typeof createActivities>;
