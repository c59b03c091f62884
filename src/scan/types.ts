/**
 * The shapes that cross workflow history: inputs, compact results, the
 * cycle report. Plain data only (no candles: those stay in the cache).
 */
export const SUPPORTED_TIMEFRAMES = [
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '8h',
  '12h',
  '1d',
] as const;
export type Timeframe = (typeof SUPPORTED_TIMEFRAMES)[number];

export const DEFAULT_TIMEFRAMES: Timeframe[] = ['1h', '15m', '5m'];
/** The largest limit Binance still charges weight 1 for. */
export const DEFAULT_CANDLE_LIMIT = 99;
export const DEFAULT_BATCH_SIZE = 64;

export type Trigger = 'schedule' | 'adhoc';

export interface ScanInput {
  trigger?: Trigger;
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

export type Direction = 'LONG' | 'SHORT';

export interface Signal {
  symbol: string;
  direction: Direction;
  /** 0-100: how many of the rules agree, and how strongly. */
  score: number;
  reasons: string[];
  price: number;
  stop: number;
  target: number;
  /** The timeframes whose rules agree with the direction. */
  timeframes: Timeframe[];
  /** Open time of the last closed candle of the trigger timeframe. */
  candleTime: number;
}

export interface SourceCounts {
  cache: number;
  stream: number;
  rest: number;
}

export interface FetchStats {
  /** Time spent fetching (in a cycle report: by the slowest batch, since batches run in parallel). */
  fetchMs: number;
  restRequests: number;
  restWeight: number;
  retries: number;
  /** Answers from the candle store: L1 (this worker's memory) plus L2 (Redis). */
  cacheHits: number;
  l1Hits: number;
  l2Hits: number;
  /** Series the store could not answer (fresh) and that came from the exchange. */
  cacheMisses: number;
  sources: SourceCounts;
  /** The cache ran without Redis for part of the work (L1 and REST only). */
  cacheDegraded: boolean;
}

export interface FetchCandlesInput {
  cycleId: string;
  symbols: string[];
  timeframes: Timeframe[];
  candleLimit: number;
}

export interface FetchCandlesResult {
  /** Symbols whose every series is in the cache, at `${keyPrefix}:<symbol>:<timeframe>`. */
  stored: string[];
  keyPrefix: string;
  failures: SymbolFailure[];
  stats: FetchStats;
}

export interface AnalyzeBatchInput {
  cycleId: string;
  symbols: string[];
  timeframes: Timeframe[];
  candleLimit: number;
}

export interface AnalyzeBatchResult {
  signals: Signal[];
  failures: SymbolFailure[];
  analyzeMs: number;
  /** Series the cache no longer had and that were fetched again. */
  refetched: number;
}

export interface BatchInput {
  cycleId: string;
  batchIndex: number;
  symbols: string[];
  timeframes: Timeframe[];
  candleLimit: number;
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
  /** Set only when the report could not be saved (Redis unavailable through every retry). */
  saveError?: string;
}
