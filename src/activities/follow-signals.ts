/**
 * @module
 * A cycle's follow-up of the ledger's open signals, on the candles the store
 * already holds (no request to the exchange): each open signal is followed
 * on its trigger timeframe's series (analysis/outcomes.ts) and what resolved
 * is handed to the ledger with the cycle's report, in one transaction.
 *
 * A signal is followed only by a cycle that just refreshed its series: one
 * that scanned the whole universe on the signal's timeframe. A symbol that
 * failed in this cycle waits for the next one (its series may be stale); a
 * symbol no longer in the universe (delisted, or filtered out) is followed on
 * what the store kept, so it resolves `missing` once its candles are overdue.
 */
import { resolveSignal } from '../analysis/outcomes.js';
import type { Ohlcv } from '../core/candles.js';
import { reasonOf } from '../core/errors.js';
import { timeframeMs, type Timeframe } from '../core/timeframes.js';
import type { CycleReport } from '../contract/types.js';
import type { LedgerSignal, OutcomeRecord } from '../storage/ledger/ledger.js';
import { activityLog } from './activity-context.js';

export interface FollowUp {
  /** The exchange's clock, ms. */
  now: number;
  /** SIGNAL_EXPIRY_CANDLES. */
  expiryCandles: number;
  /** The stored series of a symbol, or undefined when the store holds none. */
  candles: (symbol: string, timeframe: Timeframe) => Promise<readonly Ohlcv[] | undefined>;
}

/** The outcomes this cycle can decide, by signal id. */
export async function followOpenSignals(
  report: CycleReport,
  open: readonly LedgerSignal[],
  { now, expiryCandles, candles }: FollowUp,
): Promise<OutcomeRecord[]> {
  if (!report.wholeUniverse) return [];
  const failed = new Set(report.failures.map((f) => f.symbol));
  const outcomes: OutcomeRecord[] = [];
  for (const signal of open) {
    if (!report.timeframes.includes(signal.timeframe) || failed.has(signal.symbol)) continue;
    const series = (await candles(signal.symbol, signal.timeframe)) ?? [];
    try {
      const resolution = resolveSignal(signal, series, {
        timeframeMs: timeframeMs(signal.timeframe),
        expiryCandles,
        now,
      });
      if (resolution.status === 'resolved')
        outcomes.push({ signalId: signal.id, outcome: resolution.outcome });
    } catch (error) {
      // A series the store should never hold (out of order): the signal stays open, the cycle goes on.
      activityLog('warn', 'open signal not followed', { signalId: signal.id, reason: reasonOf(error) });
    }
  }
  return outcomes;
}
