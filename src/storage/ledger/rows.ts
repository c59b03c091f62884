/**
 * @module
 * The repository's boundary with the rows: timestamps as ISO-8601 UTC text
 * in and milliseconds out (whether the driver gave a Date or the text), JSON
 * as text in and parsed out, counts as numbers (PostgreSQL's bigint counts
 * arrive as strings). One set of conversions for both databases.
 */
import type { Insertable, Selectable } from 'kysely';
import type { Outcome } from '../../analysis/outcomes.js';
import type { Signal } from '../../analysis/signal.js';
import { finishedStatus } from '../../contract/search-attributes.js';
import type { CycleReport, Trigger } from '../../contract/types.js';
import type { Timeframe } from '../../core/timeframes.js';
import type { PlannedAlert } from '../../alerts/plan-alerts.js';
import type { CycleSummary, LedgerSignal, NewSignal, OutcomeRecord, QueuedAlert } from './ledger.js';
import type { AlertsTable, CyclesTable, SignalsTable } from './schema.js';

export const toDbTime = (ms: number): string => new Date(ms).toISOString();

export function fromDbTime(value: Date | string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms)) throw new TypeError(`not a timestamp: ${String(value)}`);
  return ms;
}

export const fromDbJson = <T>(value: unknown): T =>
  (typeof value === 'string' ? JSON.parse(value) : value) as T;

export const toCount = (value: string | number | bigint | null | undefined): number => Number(value ?? 0);

export function cycleRow(report: CycleReport, now: number): Insertable<CyclesTable> {
  return {
    cycle_id: report.cycleId,
    trigger: report.trigger,
    status: finishedStatus(report),
    started_at: toDbTime(Date.parse(report.startedAt)),
    finished_at: toDbTime(Date.parse(report.finishedAt)),
    duration_ms: Math.round(report.durationMs),
    symbols_requested: report.symbolsRequested,
    symbols_scanned: report.symbolsScanned,
    symbols_failed: report.failures.length,
    signal_count: report.signals.length,
    close_time: report.closeTime === undefined ? null : toDbTime(Date.parse(report.closeTime)),
    close_to_report_ms: report.closeToReportMs === undefined ? null : Math.round(report.closeToReportMs),
    report: JSON.stringify(report),
    recorded_at: toDbTime(now),
  };
}

export function cycleSummaryOf(row: Selectable<Omit<CyclesTable, 'report'>>): CycleSummary {
  return {
    cycleId: row.cycle_id,
    trigger: row.trigger as Trigger,
    status: row.status as CycleSummary['status'],
    startedAt: fromDbTime(row.started_at),
    finishedAt: fromDbTime(row.finished_at),
    durationMs: row.duration_ms,
    symbolsRequested: row.symbols_requested,
    symbolsScanned: row.symbols_scanned,
    symbolsFailed: row.symbols_failed,
    signals: row.signal_count,
    closeTime: row.close_time === null ? null : fromDbTime(row.close_time),
    closeToReportMs: row.close_to_report_ms,
    recordedAt: fromDbTime(row.recorded_at),
  };
}

/** A new signal's row, as its first sighting (in cycle `cycleId`, seen at `seenAt`) gives it. */
export function signalRow(
  signal: Signal,
  cycleId: string,
  timeframe: Timeframe,
  seenAt: number,
): Insertable<SignalsTable> {
  return {
    symbol: signal.symbol,
    direction: signal.direction,
    timeframe,
    first_cycle_id: cycleId,
    last_cycle_id: cycleId,
    first_candle_time: toDbTime(signal.candleTime),
    entry: signal.price,
    stop: signal.stop,
    target: signal.target,
    risk: Math.abs(signal.price - signal.stop),
    first_score: signal.score,
    best_score: signal.score,
    timeframes: JSON.stringify(signal.timeframes),
    reasons: JSON.stringify(signal.reasons),
    first_seen_at: toDbTime(seenAt),
    last_seen_at: toDbTime(seenAt),
    times_seen: 1,
  };
}

/** The outcome columns of a resolved signal. */
export function outcomeColumns({ outcome }: OutcomeRecord) {
  return {
    outcome: outcome.kind,
    outcome_at: toDbTime(outcome.at),
    outcome_price: outcome.price,
    r_multiple: outcome.rMultiple,
    mfe_r: outcome.mfeR,
    mae_r: outcome.maeR,
    candles_to_outcome: outcome.candles,
    outcome_reason: outcome.reason,
  };
}

function outcomeOf(row: Selectable<SignalsTable>): Outcome | null {
  if (row.outcome === null || row.outcome_at === null) return null;
  const common = {
    at: fromDbTime(row.outcome_at),
    candles: row.candles_to_outcome ?? 0,
    reason: row.outcome_reason ?? '',
  };
  // The table's check constraint guarantees the figures an outcome of each kind has.
  if (row.outcome === 'missing')
    return { kind: 'missing', ...common, price: null, rMultiple: null, mfeR: row.mfe_r, maeR: row.mae_r };
  return {
    kind: row.outcome,
    ...common,
    price: row.outcome_price!,
    rMultiple: row.r_multiple!,
    mfeR: row.mfe_r!,
    maeR: row.mae_r!,
  };
}

export function ledgerSignalOf(row: Selectable<SignalsTable>): LedgerSignal {
  return {
    id: row.id,
    symbol: row.symbol,
    direction: row.direction,
    timeframe: row.timeframe as Timeframe,
    candleTime: fromDbTime(row.first_candle_time),
    entry: row.entry,
    stop: row.stop,
    target: row.target,
    risk: row.risk,
    firstScore: row.first_score,
    bestScore: row.best_score,
    timeframes: fromDbJson<Timeframe[]>(row.timeframes),
    reasons: fromDbJson<string[]>(row.reasons),
    firstCycleId: row.first_cycle_id,
    lastCycleId: row.last_cycle_id,
    firstSeenAt: fromDbTime(row.first_seen_at),
    lastSeenAt: fromDbTime(row.last_seen_at),
    timesSeen: row.times_seen,
    outcome: outcomeOf(row),
  };
}

/** A stored signal as the Signal its first sighting was, with its id. */
export function newSignalOf(signal: LedgerSignal): NewSignal {
  return {
    id: signal.id,
    symbol: signal.symbol,
    direction: signal.direction,
    score: signal.firstScore,
    reasons: signal.reasons,
    price: signal.entry,
    stop: signal.stop,
    target: signal.target,
    timeframes: signal.timeframes,
    candleTime: signal.candleTime,
  };
}

export function alertRow(alert: PlannedAlert, now: number): Insertable<AlertsTable> {
  return {
    key: alert.key,
    destination: alert.destination,
    kind: alert.kind,
    cycle_id: alert.cycleId,
    signal_id: alert.signalId,
    summary: alert.summary,
    message: JSON.stringify(alert.message),
    close_time: alert.closeTime === null ? null : toDbTime(alert.closeTime),
    created_at: toDbTime(now),
    status: 'pending',
  };
}

export function queuedAlertOf(row: Selectable<AlertsTable>): QueuedAlert {
  return {
    id: row.id,
    key: row.key,
    destination: row.destination,
    kind: row.kind,
    cycleId: row.cycle_id,
    signalId: row.signal_id,
    summary: row.summary,
    message: fromDbJson<QueuedAlert['message']>(row.message),
    closeTime: row.close_time === null ? null : fromDbTime(row.close_time),
    createdAt: fromDbTime(row.created_at),
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    finishedAt: row.finished_at === null ? null : fromDbTime(row.finished_at),
  };
}
