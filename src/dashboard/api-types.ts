/**
 * @module
 * The dashboard's JSON API as its page reads it: one type per answer, the
 * same the server's route schemas describe in the OpenAPI document
 * (GET /api/openapi.json). Times are milliseconds since the epoch (UTC),
 * except inside a CycleReport, which keeps its own ISO strings.
 */
import type { PerformanceReport } from '../analysis/performance.js';
import type { CycleReport, Progress, TierCounts } from '../contract/types.js';
import type { CycleSummary, LedgerSignal, QueuedAlert } from '../storage/ledger/ledger.js';

/** GET /api/latest: the latest recorded cycle's report, or null before the first. */
export interface LatestAnswer {
  report: CycleReport | null;
  /** Its page in the Temporal Web UI. */
  cycleUrl: string | null;
  /** The server's clock, for ages. */
  now: number;
}

/** GET /api/cycles?limit=50 */
export interface CyclesAnswer {
  cycles: Array<CycleSummary & { cycleUrl: string }>;
}

/** GET /api/signals?open=true|false&symbol=BTC/USDT:USDT&sinceMs=604800000&limit=200 */
export interface SignalsAnswer {
  signals: LedgerSignal[];
}

/** One point of the cumulative-R curve: after each resolved signal (by outcome time). */
export interface EquityPoint {
  time: number;
  cumulativeR: number;
}

/** GET /api/performance?sinceMs=2592000000&by=direction|score|agreement|day */
export interface PerformanceAnswer extends PerformanceReport {
  since: number;
  equity: EquityPoint[];
}

export interface CandlePoint {
  /** Open time, ms. */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** GET /api/candles?symbol=BTC/USDT:USDT&timeframe=5m: the series the candle store holds (what cycles analysed). */
export interface CandlesAnswer {
  symbol: string;
  timeframe: string;
  candles: CandlePoint[];
  /** Aligned with candles; null before warm-up. */
  ema9: Array<number | null>;
  ema21: Array<number | null>;
  ema50: Array<number | null>;
  bbUpper: Array<number | null>;
  bbMiddle: Array<number | null>;
  bbLower: Array<number | null>;
}

export interface HealthCycle {
  cycleId: string;
  cycleUrl: string;
  status: string;
  trigger: string;
  startedAt: number;
  durationMs: number;
  closeToReportMs: number | null;
  symbolsScanned: number;
  symbolsFailed: number;
  signals: number;
  answers: TierCounts;
  restWeight: number;
  restRequests: number;
}

/** GET /api/health?limit=100: recent cycles, oldest first, and the worker's live figures when its metrics answer. */
export interface HealthAnswer {
  cycles: HealthCycle[];
  /** EXCHANGE_WEIGHT_LIMIT: what REST weight is measured against (per minute). */
  weightLimit: number;
  /** From the worker's /metrics (null when it does not answer). */
  streams: { connections: number; subscriptions: number; reconnects: number } | null;
  usedWeight: number | null;
  temporalUiUrl: string;
}

/** GET /api/progress: cycles running now, with the `progress` query's answer. */
export interface ProgressAnswer {
  running: Array<{ cycleId: string; cycleUrl: string; progress: Progress | null }>;
}

/** GET /api/alerts?failed=true&limit=50 */
export interface AlertsAnswer {
  alerts: QueuedAlert[];
}

/**
 * GET /api/events (text/event-stream): `cycle` with `{"cycleId": …}` when a
 * new report is recorded; `progress` with a ProgressAnswer while a cycle
 * runs (about every second); `ping` every 15 s.
 */
export type DashboardEvent =
  { type: 'cycle'; cycleId: string } | { type: 'progress'; running: ProgressAnswer['running'] };
