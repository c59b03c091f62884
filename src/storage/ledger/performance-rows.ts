/**
 * @module
 * A stored signal as analysis/performance.ts reads it: the score it first
 * appeared with, its agreement (agreeing timeframes), and when its trade
 * would have been entered (the close of its candle on its timeframe).
 */
import type { PerformanceRow } from '../../analysis/performance.js';
import { type Timeframe, timeframeMs } from '../../core/timeframes.js';
import type { LedgerSignal } from './ledger.js';
import { fromDbTime, toCount } from './rows.js';
import type { SignalsTable } from './schema.js';

export function performanceRowOf(signal: LedgerSignal): PerformanceRow {
  return {
    direction: signal.direction,
    score: signal.firstScore,
    agreement: signal.timeframes.length,
    firstSeenAt: signal.firstSeenAt,
    openedAt: signal.candleTime + timeframeMs(signal.timeframe),
    outcome: signal.outcome?.kind ?? null,
    outcomeAt: signal.outcome?.at ?? null,
    rMultiple: signal.outcome?.rMultiple ?? null,
  };
}

/** The columns Ledger.performanceRows reads, as the drivers give them. */
export interface PerformanceColumns {
  direction: SignalsTable['direction'];
  first_score: number;
  timeframe: string;
  first_candle_time: Date | string;
  first_seen_at: Date | string;
  outcome: SignalsTable['outcome'];
  outcome_at: Date | string | null;
  r_multiple: number | null;
  agreement: number | string;
}

export function performanceRowFrom(row: PerformanceColumns): PerformanceRow {
  return {
    direction: row.direction,
    score: row.first_score,
    agreement: toCount(row.agreement),
    firstSeenAt: fromDbTime(row.first_seen_at),
    openedAt: fromDbTime(row.first_candle_time) + timeframeMs(row.timeframe as Timeframe),
    outcome: row.outcome,
    outcomeAt: row.outcome_at === null ? null : fromDbTime(row.outcome_at),
    rMultiple: row.r_multiple,
  };
}
