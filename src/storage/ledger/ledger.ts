/**
 * @module
 * The signal ledger, as its callers see it: one interface over SQLite and
 * PostgreSQL. Every signal a cycle ranks is stored once per identity
 * (symbol, direction, from the close where it first appears: while later
 * cycles keep seeing it, it is the same signal), followed until its outcome,
 * and the cycles' reports are kept for `client report` and `client cycles`.
 *
 * Times in these types are milliseconds since the epoch (UTC), everywhere;
 * only the stored CycleReport keeps its own ISO strings, as it was given.
 */
import type { AlertPlanner, PlannedAlert } from '../../alerts/plan-alerts.js';
import type { Outcome } from '../../analysis/outcomes.js';
import type { PerformanceRow } from '../../analysis/performance.js';
import type { Direction, Signal } from '../../analysis/signal.js';
import type { CycleReport, LedgerHeadline, Trigger } from '../../contract/types.js';
import type { Timeframe } from '../../core/timeframes.js';
import type { LedgerDialectName } from './schema.js';

/** A signal as the ledger holds it. */
export interface LedgerSignal {
  id: number;
  symbol: string;
  direction: Direction;
  /** The trigger timeframe: the candles it is followed on. */
  timeframe: Timeframe;
  /** Open time of the candle whose close made it (Signal.candleTime of its first sighting). */
  candleTime: number;
  /** The levels of its first sighting (entry = Signal.price then); later sightings never move them. */
  entry: number;
  stop: number;
  target: number;
  /** |entry − stop|, the unit of its R multiples. */
  risk: number;
  firstScore: number;
  bestScore: number;
  /** Agreeing timeframes and reasons of its first sighting. */
  timeframes: Timeframe[];
  reasons: string[];
  firstCycleId: string;
  lastCycleId: string;
  /** Start of the first and the latest cycle that saw it. */
  firstSeenAt: number;
  lastSeenAt: number;
  timesSeen: number;
  /** Null while open. */
  outcome: Outcome | null;
}

/** What a cycle's follow-up decided for one open signal (outcomes.ts). */
export interface OutcomeRecord {
  signalId: number;
  outcome: Outcome;
}

export interface RecordCycleInput {
  report: CycleReport;
  /** Outcomes of signals open before this cycle; applied only to those still open. */
  outcomes: readonly OutcomeRecord[];
  /** The caller's clock, ms: stored as the cycle's recorded_at, and the end of the headline's window. */
  now: number;
  /**
   * The alerts of what this call wrote (its new signals, the outcomes it
   * applied), queued in the same transaction: a cycle is recorded with its
   * alerts or not at all.
   */
  alerts?: AlertPlanner;
}

/** A signal this cycle saw first: the cycle's Signal and the ledger's id for it. */
export type NewSignal = Signal & { id: number };

/** Days of outcomes the headline's figures cover. */
export const HEADLINE_WINDOW_DAYS = 30;

export interface RecordCycleResult {
  /** False when the cycle was already recorded (a retried or replayed call): nothing was written. */
  recorded: boolean;
  /** The signals this cycle saw first, by rank; on a repeated call, the same ones (read back). */
  newSignals: NewSignal[];
  /** Outcomes applied by this call (0 on a repeated call, or for signals resolved meanwhile). */
  outcomesApplied: number;
  headline: LedgerHeadline;
  /** The destinations with alerts of this cycle still pending (on a repeated call too: delivery is woken again). */
  alertDestinations: string[];
}

export type AlertStatus = 'pending' | 'sent' | 'failed';

/** An alert in the outbox. */
export interface QueuedAlert extends PlannedAlert {
  id: number;
  createdAt: number;
  status: AlertStatus;
  /** Sending attempts so far. */
  attempts: number;
  /** Why the last attempt failed (for a failed alert: why it was given up). */
  lastError: string | null;
  /** When it was sent or given up; null while pending. */
  finishedAt: number | null;
}

export interface AlertQuery {
  status?: AlertStatus;
  destination?: string;
  limit?: number;
}

export interface CycleSummary {
  cycleId: string;
  trigger: Trigger;
  status: 'completed' | 'degraded';
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  symbolsRequested: number;
  symbolsScanned: number;
  symbolsFailed: number;
  signals: number;
  /** The close it served, and from it to the saved report, ms (exchange clock); null when not known. */
  closeTime: number | null;
  closeToReportMs: number | null;
  recordedAt: number;
}

export interface SignalQuery {
  /** true: open only; false: resolved only; absent: both. */
  open?: boolean;
  symbol?: string;
  /** First seen at or after, ms. */
  since?: number;
  limit?: number;
}

export interface PruneResult {
  cycles: number;
  signals: number;
  /** Days of the headline's rollup older than the retention. */
  outcomeDays: number;
  /** Sent or failed alerts older than the retention. */
  alerts: number;
}

export interface Ledger {
  readonly dialect: LedgerDialectName;
  /**
   * Records a cycle in one transaction: the cycle row first (a cycle already
   * recorded makes the whole call a no-op: `recorded: false`), then the
   * outcomes (to signals still open), then each ranked signal by identity (an
   * open one of the same symbol and direction is seen again: last seen, best
   * score, times seen; else a new signal), then the sightings.
   */
  recordCycle(input: RecordCycleInput): Promise<RecordCycleResult>;
  /** Open signals, by symbol then direction. */
  openSignals(): Promise<LedgerSignal[]>;
  report(cycleId: string): Promise<CycleReport | undefined>;
  latestReport(): Promise<CycleReport | undefined>;
  /** The latest cycles, newest first. */
  recentCycles(limit: number): Promise<CycleSummary[]>;
  /** Signals, newest first sighting first. */
  signals(query?: SignalQuery): Promise<LedgerSignal[]>;
  /**
   * The signals first seen at or after `since` (ms), as the performance
   * figures read them: only those columns, so that a month of signals is
   * read in a fraction of what whole rows would cost.
   */
  performanceRows(since: number): Promise<PerformanceRow[]>;
  /** Signals resolved at or after `since` (ms), in outcome order. */
  resolvedSince(since: number): Promise<LedgerSignal[]>;
  headline(now: number): Promise<LedgerHeadline>;
  /**
   * In one transaction: deletes resolved signals whose outcome is older than
   * the retention, then cycles older than it that no remaining signal refers
   * to (a cycle stays while a kept signal was first or last seen in it), and
   * the headline's days older than it.
   */
  prune(retentionDays: number, now: number): Promise<PruneResult>;
  /** A destination's next pending alerts, in the order they were queued. */
  dueAlerts(destination: string, limit: number): Promise<QueuedAlert[]>;
  alert(id: number): Promise<QueuedAlert | undefined>;
  /** Marks a pending alert sent; false when it was not pending (sent, or given up, already). */
  markAlertSent(id: number, at: number, attempts: number): Promise<boolean>;
  /** Gives a pending alert up, with why; false when it was not pending. */
  markAlertFailed(id: number, at: number, attempts: number, reason: string): Promise<boolean>;
  /** A pending alert's failed attempt: its count and reason, for `client alerts`. */
  noteAlertAttempt(id: number, attempts: number, reason: string): Promise<void>;
  /** Alerts, newest first. */
  alerts(query?: AlertQuery): Promise<QueuedAlert[]>;
  /**
   * Queues a failed alert again (an operator's retry after the cause is
   * fixed): pending, its attempts from zero, its age from `now`; keeps its
   * place by id. Answers the alert as it is now, or undefined when it was
   * not failed (pending or sent already: nothing to do).
   */
  requeueAlert(id: number, now: number): Promise<QueuedAlert | undefined>;
  close(): Promise<void>;
}
