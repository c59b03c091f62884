/**
 * @module
 * Starts a cycle on a candle's close, as soon as the data for it is there:
 * once the trigger timeframe's final klines have come in over the streams for
 * `share` of the universe, or `waitMs` after the first of them. The share is
 * small (enough to know the streams serve this close): the cycle's batches
 * then wait, each series for its own final kline, in the store read
 * (market-data/candle-pipeline.ts), so the cycle's orchestration overlaps
 * their arrival; what does not come in time, REST fetches. Every worker runs
 * one, and they all start the same workflow id for a close (the id the
 * Schedule would give it), so a close is
 * scanned once however many workers see it; the Schedule, a few seconds
 * later, finds it started and does nothing, and scans the close itself when
 * the streams were down.
 */
import { timeframeMs, type Timeframe } from '../core/timeframes.js';
import type { FinalKline } from '../market-data/stream-feed.js';

export interface CloseTriggerOptions {
  timeframe: Timeframe;
  /** Share of the followed symbols whose final klines start the cycle at once. */
  share: number;
  /** After a close's first final kline, start anyway this much later (real ms). */
  waitMs: number;
  /** Symbols followed on the timeframe (the universe the streams know). */
  expected: () => number;
  /** Starts (or finds started) the cycle of the close at `closeTime`. */
  start: (closeTime: number, why: 'share' | 'wait') => Promise<void>;
  /** Told of a start that failed (it is not retried: the Schedule is the safety net). */
  onError: (closeTime: number, error: unknown) => void;
}

/**
 * A final kline sent later than this after its close is a catch-up (after a
 * reconnect, or a jump of an accelerated clock), not the close happening now.
 */
const LATE_FINAL_MS = 30_000;
/** Closes remembered, so that a late final of one already started does nothing. */
const CLOSES_KEPT = 8;

interface PendingClose {
  symbols: Set<string>;
  timer?: NodeJS.Timeout;
  started: boolean;
}

export class CloseTrigger {
  private readonly closes = new Map<number, PendingClose>();
  private stopped = false;

  constructor(private readonly options: CloseTriggerOptions) {}

  /** A final kline reached the store. */
  onFinal(final: FinalKline): void {
    const { timeframe } = this.options;
    if (this.stopped || final.timeframe !== timeframe) return;
    const closeTime = final.openTime + timeframeMs(timeframe);
    if (!(final.eventTime - closeTime <= LATE_FINAL_MS)) return;
    const pending = this.pending(closeTime);
    if (pending.started) return;
    pending.symbols.add(final.symbol);
    if (pending.symbols.size >= Math.ceil(this.options.share * this.options.expected()))
      this.fire(closeTime, 'share');
    else pending.timer ??= setTimeout(() => this.fire(closeTime, 'wait'), this.options.waitMs);
  }

  stop(): void {
    this.stopped = true;
    for (const pending of this.closes.values()) clearTimeout(pending.timer);
  }

  private pending(closeTime: number): PendingClose {
    let pending = this.closes.get(closeTime);
    if (!pending) {
      pending = { symbols: new Set(), started: false };
      this.closes.set(closeTime, pending);
      for (const old of [...this.closes.keys()].sort((a, b) => a - b).slice(0, -CLOSES_KEPT)) {
        clearTimeout(this.closes.get(old)!.timer);
        this.closes.delete(old);
      }
    }
    return pending;
  }

  private fire(closeTime: number, why: 'share' | 'wait'): void {
    const pending = this.closes.get(closeTime);
    if (!pending || pending.started || this.stopped) return;
    pending.started = true;
    clearTimeout(pending.timer);
    this.options.start(closeTime, why).catch((error: unknown) => this.options.onError(closeTime, error));
  }
}
