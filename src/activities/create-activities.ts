import pLimit from 'p-limit';
import { ApplicationFailure } from '@temporalio/activity';
import { evaluateSymbol } from '../analysis/rules.js';
import type { RuleParams } from '../analysis/params.js';
import type { CandleCache } from '../cache/candle-cache.js';
import { candleKeyPrefix } from '../cache/keys.js';
import { ConfigError, reasonOf, ScannerError } from '../errors.js';
import type { MarketClient, RequestCounters } from '../exchange/market-client.js';
import { timeframeMs } from '../scan/timeframes.js';
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
import { heartbeat, lastHeartbeat } from './activity-context.js';

export interface UniverseFilter {
  include: string[];
  exclude: string[];
  minQuoteVolume: number;
}

export interface ActivityDeps {
  market: MarketClient;
  cache: CandleCache;
  reports: ReportStore;
  exchangeId: string;
  universe: UniverseFilter;
  /** Concurrent symbols per fetchCandles activity. */
  fetchConcurrency: number;
  rules?: RuleParams;
}

/** Normalizes BTCUSDT, btcusdt or BTC/USDT:USDT to the unified symbol, if listed. */
function resolver(perpetuals: Array<{ symbol: string; id: string }>) {
  const bySymbol = new Map<string, string>();
  for (const p of perpetuals) {
    bySymbol.set(p.symbol.toUpperCase(), p.symbol);
    bySymbol.set(p.id.toUpperCase(), p.symbol);
  }
  return (name: string) => bySymbol.get(name.trim().toUpperCase());
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
  const { market, cache, reports } = deps;

  async function listSymbols(request: UniverseRequest): Promise<Universe> {
    try {
      const perpetuals = await market.perpetuals();
      const resolve = resolver(perpetuals);
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
      return { symbols, rejected: [] };
    } catch (error) {
      throw toFailure(error);
    }
  }

  /** One series from REST: the forming candle is dropped, so only closed candles are kept. */
  async function fetchSeries(
    symbol: string,
    timeframe: Timeframe,
    limit: number,
    counters: RequestCounters,
  ): Promise<Ohlcv[]> {
    const candles = await market.candles(symbol, timeframe, limit, counters);
    return candles.slice(0, -1);
  }

  async function storeSeries(symbol: string, timeframe: Timeframe, candles: Ohlcv[]): Promise<void> {
    // Kept for two candle lengths: long enough for the cycle, short enough to never go stale for long.
    await cache.set(
      symbol,
      timeframe,
      { candles, fetchedAt: Date.now() },
      Math.max(600_000, 2 * timeframeMs(timeframe)),
    );
  }

  async function fetchCandles(input: FetchCandlesInput): Promise<FetchCandlesResult> {
    const started = Date.now();
    const counters = newCounters();
    // A retry of this activity resumes: symbols the last attempt finished are in the cache.
    const resumed = new Set(lastHeartbeat<{ done: string[] }>()?.done ?? []);
    const done: string[] = [];
    const failures: SymbolFailure[] = [];
    let cacheHits = 0;
    let restAnswers = 0;
    const limit = pLimit(deps.fetchConcurrency);
    // Beat on a timer too: waiting for the weight budget or a Retry-After is
    // progress, and must not look like a dead worker to Temporal.
    const beat = setInterval(() => heartbeat({ done }), 5_000);
    await Promise.all(
      input.symbols.map((symbol) =>
        limit(async () => {
          try {
            for (const timeframe of input.timeframes) {
              if (resumed.has(symbol) && (await cache.get(symbol, timeframe))) {
                cacheHits++;
                continue;
              }
              const candles = await fetchSeries(symbol, timeframe, input.candleLimit, counters);
              restAnswers++;
              await storeSeries(symbol, timeframe, candles);
            }
            done.push(symbol);
            heartbeat({ done });
          } catch (error) {
            // The cache being down is the activity's problem (retry it); anything else is the symbol's.
            if (error instanceof ScannerError && error.name === 'CacheUnavailableError') throw error;
            failures.push({ symbol, reason: reasonOf(error) });
          }
        }),
      ),
    )
      .catch((error: unknown) => {
        throw toFailure(error);
      })
      .finally(() => clearInterval(beat));
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
        cacheHits,
        cacheMisses: restAnswers,
        sources: { cache: cacheHits, stream: 0, rest: restAnswers },
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
          const stored = await cache.get(symbol, timeframe);
          if (stored) {
            series[timeframe] = stored.candles;
          } else {
            // Evicted or expired since fetchCandles: fetch again rather than lose the symbol.
            refetched++;
            series[timeframe] = await fetchSeries(symbol, timeframe, input.candleLimit, newCounters());
          }
        }
        const evaluation = evaluateSymbol(symbol, series, input.timeframes, deps.rules);
        if (evaluation.signal) signals.push(evaluation.signal);
      } catch (error) {
        if (error instanceof ScannerError && error.name === 'CacheUnavailableError') throw toFailure(error);
        failures.push({ symbol, reason: reasonOf(error) });
      }
    }
    return { signals, failures, analyzeMs: Date.now() - started, refetched };
  }

  async function saveReport(report: CycleReport): Promise<{ saved: boolean }> {
    if (!report.cycleId) throw toFailure(new ConfigError('a report needs its cycle id'));
    return { saved: await reports.save(report) };
  }

  return { listSymbols, fetchCandles, analyzeBatch, saveReport };
}

export type Activities = ReturnType<typeof createActivities>;
