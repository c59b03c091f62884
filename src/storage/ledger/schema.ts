/**
 * @module
 * The ledger's tables as Kysely sees them: one description for both
 * databases, so every query is typed once. Timestamps are written as
 * ISO-8601 UTC text (PostgreSQL casts it to timestamptz, SQLite keeps it,
 * sortable) and read back as a Date (PostgreSQL) or that text (SQLite); JSON
 * is written as text (jsonb on PostgreSQL) and read back parsed or as text.
 * rows.ts turns both into the one shape callers see.
 */
import type { ColumnType, Generated } from 'kysely';

/** A UTC instant: ISO-8601 text in, a Date (PostgreSQL) or the same text (SQLite) out. */
export type Timestamp = ColumnType<Date | string, string, string>;
export type NullableTimestamp = ColumnType<Date | string | null, string | null, string | null>;
/** JSON: text in, parsed (jsonb on PostgreSQL) or text (SQLite) out. */
export type Json = ColumnType<unknown, string, string>;

export interface CyclesTable {
  cycle_id: string;
  trigger: string;
  /** completed, or degraded (the candle cache ran without Redis for part of it). */
  status: string;
  started_at: Timestamp;
  finished_at: Timestamp;
  duration_ms: number;
  symbols_requested: number;
  symbols_scanned: number;
  symbols_failed: number;
  signal_count: number;
  /** The candle close the cycle served, and from it to the saved report (exchange clock); null before they were known. */
  close_time: NullableTimestamp;
  close_to_report_ms: number | null;
  /** The whole CycleReport. */
  report: Json;
  /** When the ledger recorded it (the caller's clock). */
  recorded_at: Timestamp;
}

export interface SignalsTable {
  id: Generated<number>;
  symbol: string;
  direction: 'LONG' | 'SHORT';
  /** The trigger timeframe, the one the signal is followed on. */
  timeframe: string;
  first_cycle_id: string;
  last_cycle_id: string;
  /** Open time of the candle whose close made the signal (Signal.candleTime). */
  first_candle_time: Timestamp;
  entry: number;
  stop: number;
  target: number;
  /** |entry − stop|: the unit of the R multiples. */
  risk: number;
  first_score: number;
  best_score: number;
  timeframes: Json;
  reasons: Json;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  times_seen: number;
  outcome: 'target' | 'stop' | 'expired' | 'missing' | null;
  outcome_at: NullableTimestamp;
  outcome_price: number | null;
  r_multiple: number | null;
  mfe_r: number | null;
  mae_r: number | null;
  candles_to_outcome: number | null;
  outcome_reason: string | null;
}

export interface SignalSightingsTable {
  cycle_id: string;
  signal_id: number;
  score: number;
}

/** The outcomes of one UTC day (by outcome time): what the headline adds up. */
export interface OutcomeDaysTable {
  /** YYYY-MM-DD (a date on PostgreSQL, text on SQLite). */
  day: ColumnType<Date | string, string, string>;
  targets: number;
  stops: number;
  expired: number;
  missing: number;
  /** Sum and count of the R multiples (targets, stops, expiries). */
  r_sum: number;
  r_count: number;
}

/** The alert outbox: one row per (message, destination), in the order delivery sends them. */
export interface AlertsTable {
  id: Generated<number>;
  /** destination/kind/subject: unique, the message's idempotency key. */
  key: string;
  destination: string;
  kind: 'signals' | 'outcome' | 'cycle';
  cycle_id: string;
  /** The signal it is about (the first of a digest); null for a cycle's message. */
  signal_id: number | null;
  /** One line for the Web UI and `client alerts`. */
  summary: string;
  /** The AlertMessage (no secret: the destination's are in the worker's configuration only). */
  message: Json;
  close_time: NullableTimestamp;
  created_at: Timestamp;
  status: 'pending' | 'sent' | 'failed';
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  /** When it was sent, or given up on. */
  finished_at: NullableTimestamp;
}

export interface LedgerDatabase {
  cycles: CyclesTable;
  signals: SignalsTable;
  signal_sightings: SignalSightingsTable;
  outcome_days: OutcomeDaysTable;
  alerts: AlertsTable;
}

export type LedgerDialectName = 'postgres' | 'sqlite';
