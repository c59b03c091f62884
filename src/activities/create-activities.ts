/**
 * @module
 * The activities: thin I/O over the layers below, built from the
 * dependencies the worker injects (small interfaces, so a test can give
 * plain objects). Candles never leave the store: results carry symbols,
 * failures and counts only.
 */
import pLimit from 'p-limit';
import type { AlertPlanner } from '../alerts/plan-alerts.js';
import type { RuleParams } from '../analysis/params.js';
import { evaluateSymbol } from '../analysis/rules.js';
import type { Signal } from '../analysis/signal.js';
import type { CandleTier, Ohlcv } from '../core/candles.js';
import { ConfigError, reasonOf } from '../core/errors.js';
import type { PerpetualMarket, RequestCounters } from '../core/markets.js';
import type { Timeframe } from '../core/timeframes.js';
import { noAnswers } from '../contract/batch-stats.js';
import type {
  AnalyzeBatchResult,
  CycleReport,
  FetchCandlesResult,
  SaveResult,
  SeriesRequest,
  StoreFetchResult,
  SymbolFailure,
  TierCounts,
  Universe,
  UniverseRequest,
} from '../contract/types.js';
import { needsVolumes, selectUniverse, type UniverseFilter } from '../market-data/universe.js';
import type { Ledger } from '../storage/ledger/ledger.js';
import { activityLog, atTheBoundary, heartbeat, lastHeartbeat } from './activity-context.js';
import { followOpenSignals } from './follow-signals.js';

/** The exchange's listing. */
export interface Listing {
  perpetuals(): Promise<PerpetualMarket[]>;
  quoteVolumes(): Promise<Map<string, number>>;
}

/** A series, from the first tier of the market-data pipeline that can answer. */
export interface SeriesSource {
  series(
    symbol: string,
    timeframe: Timeframe,
    limit: number,
    counters?: RequestCounters,
  ): Promise<{ candles: Ohlcv[]; tier: CandleTier }>;
  /** The store's answer when it holds the series fresh; never asks the exchange. */
  fromStore(
    symbol: string,
    timeframe: Timeframe,
    limit: number,
  ): Promise<{ candles: Ohlcv[]; tier: CandleTier } | undefined>;
}

/** The exchange's clock, as the worker last measured it (candle closes are the exchange's). */
export interface ExchangeClock {
  now(): number;
}

/** The candle store, read back for analysis. */
export interface StoredSeries {
  get(symbol: string, timeframe: Timeframe): Promise<{ candles: Ohlcv[] } | undefined>;
  /** True while Redis is away (the store runs on memory alone). */
  readonly degraded: boolean;
  /** L2 operations failed so far: a rise during a fetch means it ran degraded. */
  readonly l2Errors: number;
}

/** The signal ledger, as saving a report uses it (storage/ledger). */
export type LedgerSink = Pick<Ledger, 'openSignals' | 'recordCycle'>;

/** How a saved cycle hands its alerts to delivery (worker/alert-handoff.ts). */
export interface AlertHandoff {
  /** Which alerts the cycle's writes make (queued in the ledger in the same transaction). */
  planner: AlertPlanner;
  /** Wakes the delivery workflows of these destinations; never waits, never throws. */
  nudge(destinations: readonly string[]): void;
}

/** What the activities tell the worker's metrics. */
export interface ActivityMetrics {
  countAnswers(answers: TierCounts): void;
  cycleSaved(report: CycleReport): void;
}

export interface ActivityDeps {
  listing: Listing;
  clock: ExchangeClock;
  pipeline: SeriesSource;
  store: StoredSeries;
  ledger: LedgerSink;
  /** An open signal expires after this many candles of its timeframe (SIGNAL_EXPIRY_CANDLES). */
  expiryCandles: number;
  universe: UniverseFilter;
  /** Concurrent symbols per fetchCandles activity. */
  fetchConcurrency: number;
  rules: RuleParams;
  /** Absent: no destination is configured. */
  alerts?: AlertHandoff;
  metrics?: ActivityMetrics;
}

/** What fetchCandles heartbeats: the symbols whose series are in the store, so a retry skips them. */
export interface FetchProgress {
  done: string[];
}

/** Beats while waiting too (for the weight budget or a Retry-After): waiting is progress, not a dead worker. */
const HEARTBEAT_EVERY_MS = 5_000;

export function createActivities(deps: ActivityDeps) {
  const { pipeline, store } = deps;

  async function listSymbols(request: UniverseRequest): Promise<Universe> {
    const perpetuals = await deps.listing.perpetuals();
    const volumes = needsVolumes(request, deps.universe) ? await deps.listing.quoteVolumes() : undefined;
    return { ...selectUniverse(perpetuals, request, deps.universe, volumes), exchangeTime: deps.clock.now() };
  }

  /**
   * A batch's fast path, run as a local activity: the series the store holds
   * fresh (the streams keep them so), with no request to the exchange; just
   * after a close, a read waits for its series' final kline (the pipeline's
   * rule). Every series is read at once: each wait ends when its own final
   * arrives, and a store that answers from Redis (a worker whose memory is
   * empty) costs one pipelined round trip, not one per symbol. What the
   * store lacks, fetchCandles fetches.
   */
  async function fetchFromStore(input: SeriesRequest): Promise<StoreFetchResult> {
    const started = Date.now();
    const answers = noAnswers();
    const stored: string[] = [];
    const missing: string[] = [];
    const found = await Promise.all(
      input.symbols.map((symbol) =>
        Promise.all(
          input.timeframes.map((timeframe) =>
            pipeline.fromStore(symbol, timeframe, input.candleLimit).catch(() => undefined),
          ),
        ),
      ),
    );
    input.symbols.forEach((symbol, i) => {
      const series = found[i]!;
      if (series.every(Boolean)) {
        for (const one of series) answers[one!.tier]++;
        stored.push(symbol);
      } else missing.push(symbol);
    });
    deps.metrics?.countAnswers(answers);
    return {
      stored,
      missing,
      stats: {
        fetchMs: Date.now() - started,
        restRequests: 0,
        restWeight: 0,
        retries: 0,
        answers,
        cacheDegraded: store.degraded,
      },
    };
  }

  async function fetchCandles(input: SeriesRequest): Promise<FetchCandlesResult> {
    const started = Date.now();
    const counters: RequestCounters = { requests: 0, weight: 0, retries: 0, usedWeight: 0 };
    // A retried attempt (its worker died, or it timed out) starts where the
    // last one stopped: the symbols its heartbeats reported done are in the
    // store, and are not fetched again (analysis refetches any the store lost).
    const previous = new Set(lastHeartbeat<FetchProgress>()?.done ?? []);
    const done = input.symbols.filter((s) => previous.has(s));
    const todo = input.symbols.filter((s) => !previous.has(s));
    activityLog('info', 'fetchCandles started', {
      cycleId: input.cycleId,
      symbols: todo.length,
      resumed: done.length,
    });
    const failures: SymbolFailure[] = [];
    const answers = noAnswers();
    const l2ErrorsBefore = store.l2Errors;
    const limit = pLimit(deps.fetchConcurrency);
    const beat = setInterval(() => heartbeat({ done } satisfies FetchProgress), HEARTBEAT_EVERY_MS);
    try {
      await Promise.all(
        todo.map((symbol) =>
          limit(async () => {
            try {
              for (const timeframe of input.timeframes) {
                const { tier } = await pipeline.series(symbol, timeframe, input.candleLimit, counters);
                answers[tier]++;
              }
              done.push(symbol);
              heartbeat({ done } satisfies FetchProgress);
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
    deps.metrics?.countAnswers(answers);
    const degraded = store.degraded || store.l2Errors > l2ErrorsBefore;
    if (degraded)
      activityLog('warn', 'candle cache degraded: Redis unavailable, running on memory and REST', {
        cycleId: input.cycleId,
      });
    return {
      // In the input's order, so that a replay or a retry yields the same result.
      stored: input.symbols.filter((s) => done.includes(s)),
      failures,
      stats: {
        fetchMs: Date.now() - started,
        restRequests: counters.requests,
        restWeight: counters.weight,
        retries: counters.retries,
        answers,
        cacheDegraded: degraded,
      },
    };
  }

  async function analyzeBatch(input: SeriesRequest): Promise<AnalyzeBatchResult> {
    const started = Date.now();
    const signals: Signal[] = [];
    const failures: SymbolFailure[] = [];
    for (const symbol of input.symbols) {
      try {
        const series: Partial<Record<Timeframe, Ohlcv[]>> = {};
        for (const timeframe of input.timeframes) {
          // Evicted, or written to a Redis that went away since: fetch again rather than lose the symbol.
          series[timeframe] =
            (await store.get(symbol, timeframe))?.candles ??
            (await pipeline.series(symbol, timeframe, input.candleLimit)).candles;
        }
        const evaluation = evaluateSymbol(symbol, series, input.timeframes, deps.rules);
        if (evaluation.signal) signals.push(evaluation.signal);
      } catch (error) {
        const reason = reasonOf(error);
        failures.push({ symbol, reason });
        activityLog('warn', 'symbol not analysed', { cycleId: input.cycleId, symbol, reason });
      }
    }
    return { signals, failures, analyzeMs: Date.now() - started };
  }

  /**
   * Records the cycle in the ledger, in one transaction: the report, stamped
   * with how long after its close it was saved (by the exchange's clock); the
   * outcomes of open signals, followed on the candles the store holds
   * (follow-signals.ts); the report's signals by identity; the alerts of its
   * new signals and outcomes, into the outbox. Idempotent by cycle id: a
   * retry after a crash, even mid-write, records it once. Delivery is only
   * nudged, never waited for.
   */
  async function saveReport(report: CycleReport): Promise<SaveResult> {
    if (!report.cycleId) throw new ConfigError('a report needs its cycle id');
    const now = deps.clock.now();
    const closeToReportMs = report.closeTime ? Math.round(now - Date.parse(report.closeTime)) : undefined;
    const stamped: CycleReport = closeToReportMs === undefined ? report : { ...report, closeToReportMs };
    const open = await deps.ledger.openSignals();
    const outcomes = await followOpenSignals(stamped, open, {
      now,
      expiryCandles: deps.expiryCandles,
      candles: async (symbol, timeframe) => (await store.get(symbol, timeframe))?.candles,
    });
    activityLog('info', 'recording the cycle in the ledger', {
      cycleId: report.cycleId,
      signals: report.signals.length,
      open: open.length,
      outcomes: outcomes.length,
    });
    // The exchange's clock: outcomes are dated by candle closes, and the headline's window must match them.
    const recorded = await deps.ledger.recordCycle({
      report: stamped,
      outcomes,
      now,
      ...(deps.alerts ? { alerts: deps.alerts.planner } : {}),
    });
    if (recorded.recorded) deps.metrics?.cycleSaved(stamped);
    if (recorded.alertDestinations.length > 0) deps.alerts?.nudge(recorded.alertDestinations);
    return {
      saved: recorded.recorded,
      ...(closeToReportMs === undefined ? {} : { closeToReportMs }),
      outcomes: recorded.outcomesApplied,
      ledger: recorded.headline,
    };
  }

  return {
    listSymbols: atTheBoundary(listSymbols),
    fetchFromStore: atTheBoundary(fetchFromStore),
    fetchCandles: atTheBoundary(fetchCandles),
    analyzeBatch: atTheBoundary(analyzeBatch),
    saveReport: atTheBoundary(saveReport),
  };
}

export type Activities = ReturnType<typeof createActivities>;
