/**
 * @module
 * The shapes that cross workflow history: inputs, compact results, the
 * cycle report. Plain data only (no candles: those stay in the candle store),
 * and each figure carried once.
 */
import type { Signal } from '../analysis/signal.js';
import type { CandleTier } from '../core/candles.js';
import type { Timeframe } from '../core/timeframes.js';

/** schedule: the Schedule's cron; close: the streams saw a candle close; adhoc: a person or a script. */
export type Trigger = 'schedule' | 'close' | 'adhoc';

export interface ScanInput {
  trigger?: Trigger;
  /** The candle close this cycle serves (ms), when its starter knows it (the close trigger); else the latest close. */
  closeTime?: number;
  /** Symbols to scan (ccxt unified, e.g. BTC/USDT:USDT); default: the whole filtered universe. */
  symbols?: string[];
  timeframes?: Timeframe[];
  candleLimit?: number;
  batchSize?: number;
}

export interface SymbolFailure {
  symbol: string;
  reason: string;
}

/** Series answered, by the tier that answered them. */
export type TierCounts = Record<CandleTier, number>;

export interface FetchStats {
  /** Time spent fetching (in a cycle report: by the slowest batch, since batches run in parallel). */
  fetchMs: number;
  restRequests: number;
  restWeight: number;
  retries: number;
  answers: TierCounts;
  /** The cache ran without Redis for part of the work (L1 and REST only). */
  cacheDegraded: boolean;
}

/** The series of some symbols: what a batch's activities fetch into the store, then analyse from it. */
export interface SeriesRequest {
  cycleId: string;
  symbols: string[];
  timeframes: Timeframe[];
  candleLimit: number;
}

export interface FetchCandlesResult {
  /** Symbols whose every series is in the candle store. */
  stored: string[];
  failures: SymbolFailure[];
  stats: FetchStats;
}

/** What the store alone answered (a batch's fast path, a local activity): the rest is fetched by fetchCandles. */
export interface StoreFetchResult {
  /** Symbols whose every series the store holds fresh. */
  stored: string[];
  /** Symbols with a series the store does not hold fresh. */
  missing: string[];
  stats: FetchStats;
}

export interface AnalyzeBatchResult {
  signals: Signal[];
  failures: SymbolFailure[];
  analyzeMs: number;
}

export interface BatchInput extends SeriesRequest {
  batchIndex: number;
}

export type BatchStats = FetchStats & { analyzeMs: number };

export interface BatchResult {
  batchIndex: number;
  symbols: number;
  scanned: number;
  signals: Signal[];
  failures: SymbolFailure[];
  stats: BatchStats;
}

export interface UniverseRequest {
  symbols?: string[];
}

export interface Universe {
  symbols: string[];
  /** Requested symbols the exchange does not list as active USDT perpetuals. */
  rejected: SymbolFailure[];
  /** The exchange's clock when the universe was listed (absent in histories recorded before 2026-12). */
  exchangeTime?: number;
}

export type Phase = 'listing' | 'scanning' | 'ranking' | 'saving' | 'done';

export interface Progress {
  phase: Phase;
  batchesDone: number;
  batchesTotal: number;
  symbolsDone: number;
  symbolsTotal: number;
  failures: number;
  signals: number;
}

export interface CycleReport {
  cycleId: string;
  trigger: Trigger;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  timeframes: Timeframe[];
  candleLimit: number;
  batchSize: number;
  batches: number;
  symbolsRequested: number;
  symbolsScanned: number;
  failures: SymbolFailure[];
  signals: Signal[];
  stats: BatchStats;
  /** The close of the trigger timeframe this cycle serves (ISO), by the exchange's clock. */
  closeTime?: string;
  /** From that close to the saved report, by the exchange's clock: what a trader waits for. */
  closeToReportMs?: number;
  /**
   * True when the cycle scanned the whole (filtered) universe rather than
   * symbols it was asked for: only such a cycle follows the ledger's open
   * signals, since only then does the store hold every symbol it scans fresh.
   */
  wholeUniverse?: boolean;
  /** The ledger's figures once this cycle was recorded (absent in reports saved before the ledger). */
  ledger?: LedgerHeadline;
  /** Set only when the report could not be saved (the ledger unavailable through every retry). */
  saveError?: string;
}

/**
 * The ledger's headline, as a cycle's report and the Web UI carry it: the
 * open signals now, and the outcomes of the last `windowDays` UTC days (the
 * days that end with today, today included) with their hit rate
 * (targets ÷ (targets + stops)) and average R (over the outcomes with an R:
 * targets, stops, expiries). Null where there is nothing to divide.
 */
export interface LedgerHeadline {
  openSignals: number;
  windowDays: number;
  resolved: number;
  targets: number;
  stops: number;
  expired: number;
  missing: number;
  hitRate: number | null;
  averageR: number | null;
}

/** What saving a report says: whether this call recorded it, how long after its close, and the ledger's figures. */
export interface SaveResult {
  saved: boolean;
  closeToReportMs?: number;
  /** Open signals whose outcome this cycle recorded. */
  outcomes?: number;
  ledger?: LedgerHeadline;
}
