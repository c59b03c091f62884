/**
 * @module
 * What became of a signal: it is followed, pure and candle by candle, on the
 * closed candles of its trigger timeframe after the candle that made it,
 * until it reaches its target, its stop, or its expiry (freqtrade's
 * backtesting conventions, so the figures compare with a backtest's):
 *
 * - A LONG reaches its stop when a candle's low is at or below the stop, its
 *   target when the high is at or above the target; a SHORT mirrors both.
 * - One candle that touches both: the stop wins (the order inside a candle is
 *   unknown, so the worse case is taken).
 * - A candle that opens beyond a level (a gap through it) exits at its open,
 *   not at the level: the order would have filled there, worse than the stop
 *   or better than the target.
 * - Expiry: after `expiryCandles` candles without either, the signal exits at
 *   the close of the last of them.
 * - The R multiple is the signed result over the risk:
 *   (exit − entry) / |entry − stop| for a LONG, (entry − exit) / |entry − stop|
 *   for a SHORT: −1 at the stop, target ÷ risk at the target.
 * - MFE and MAE (maximum favourable and adverse excursion) are in R, both ≥ 0,
 *   over the candles followed up to and including the outcome candle, whose
 *   range counts only as far as the trade lasted: a stop exit counts the
 *   adverse side down to the exit and the favourable side at the open only
 *   (the stop is taken to have come first, as above); a target exit counts
 *   the favourable side up to the target and the whole adverse side (the dip
 *   may have come first); a gap exit counts its open only.
 * - Candles missing: when the candles the signal needs should exist by now
 *   (by the exchange's clock, after a grace) but the series does not hold
 *   them (a hole after the signal's candle, or a series that stops: a
 *   delisted or halted symbol), the signal is resolved `missing` with its
 *   reason; when they cannot exist yet, it stays open.
 */
import type { Ohlcv } from '../core/candles.js';
import { MalformedCandlesError } from '../core/errors.js';
import type { Direction } from './signal.js';

export type OutcomeKind = 'target' | 'stop' | 'expired' | 'missing';

/** What following a signal needs of it: its side, its levels, and the candle that made it. */
export interface FollowedSignal {
  direction: Direction;
  entry: number;
  stop: number;
  target: number;
  /** Open time of the candle whose close made the signal (Signal.candleTime), ms. */
  candleTime: number;
}

export interface FollowOptions {
  /** The trigger timeframe's length, ms (5 minutes by default). */
  timeframeMs: number;
  /** Candles after which an open signal expires (SIGNAL_EXPIRY_CANDLES, 48 by default). */
  expiryCandles: number;
  /** The exchange's clock, ms: which candles have closed, and which should be there by now. */
  now: number;
  /**
   * How long after its close a candle may still be absent before it counts as
   * missing, ms. Default: one timeframe (a candle is missing only once the
   * candle after it has closed too), so a stream or cache that lags a little
   * never resolves a signal as missing.
   */
  graceMs?: number;
}

/** A signal that reached its target or its stop, or expired. */
export interface ReachedOutcome {
  kind: 'target' | 'stop' | 'expired';
  /** Close time of the outcome candle (its open time + the timeframe), ms: the earliest the outcome was known. */
  at: number;
  /** The exit: the level, the open of a candle that gapped through it, or the expiry candle's close. */
  price: number;
  rMultiple: number;
  mfeR: number;
  maeR: number;
  /** Candles followed, the outcome candle included (1 = the first candle after the signal's). */
  candles: number;
  reason: string;
}

/** A signal whose candles the series does not hold although they should exist by now. */
export interface MissingOutcome {
  kind: 'missing';
  /** When the first missing candle should have opened (the close of the last candle followed), ms. */
  at: number;
  price: null;
  rMultiple: null;
  /** Over the candles followed before the hole; null when none was. */
  mfeR: number | null;
  maeR: number | null;
  candles: number;
  reason: string;
}

export type Outcome = ReachedOutcome | MissingOutcome;

/** Still open: not enough closed candles yet. The figures so far, for display. */
export interface StillOpen {
  status: 'open';
  candles: number;
  mfeR: number;
  maeR: number;
  /** The last close followed, or null when no candle after the signal's has closed yet. */
  lastClose: number | null;
}

export type Resolution = { status: 'resolved'; outcome: Outcome } | StillOpen;

const iso = (ms: number) => new Date(ms).toISOString();

/** Checks the levels: a LONG's stop below its entry below its target, a SHORT mirrored; throws RangeError if not. */
function riskOf(signal: FollowedSignal): number {
  const { direction, entry, stop, target } = signal;
  const ordered = direction === 'LONG' ? stop < entry && entry < target : target < entry && entry < stop;
  if (![entry, stop, target].every(Number.isFinite) || !ordered)
    throw new RangeError(
      `cannot follow a ${direction} with entry ${entry}, stop ${stop}, target ${target}: levels out of order`,
    );
  return Math.abs(entry - stop);
}

/**
 * Follows one open signal on `candles` (the trigger timeframe's series, in
 * order, contiguous, as the candle store holds it: candles up to and
 * including the signal's own are skipped, candles not yet closed by `now`
 * are ignored). Throws MalformedCandlesError on a series out of order or
 * with duplicates (a hole is not malformed: it is what `missing` reports),
 * RangeError on levels out of order.
 */
export function resolveSignal(
  signal: FollowedSignal,
  candles: readonly Ohlcv[],
  options: FollowOptions,
): Resolution {
  const { timeframeMs: step, expiryCandles, now } = options;
  const grace = options.graceMs ?? step;
  const risk = riskOf(signal);
  const long = signal.direction === 'LONG';
  const sign = long ? 1 : -1;
  const toR = (price: number) => (sign * (price - signal.entry)) / risk;
  const beyondStop = (price: number) => (long ? price <= signal.stop : price >= signal.stop);
  const beyondTarget = (price: number) => (long ? price >= signal.target : price <= signal.target);

  let expected = signal.candleTime + step; // open time of the next candle the signal needs
  let followed = 0;
  let mfe = 0;
  let mae = 0;
  let lastClose: number | null = null;
  let previousOpen = -Infinity;
  const reached = (kind: ReachedOutcome['kind'], at: number, price: number, reason: string): Resolution => ({
    status: 'resolved',
    outcome: { kind, at, price, rMultiple: toR(price), mfeR: mfe, maeR: mae, candles: followed, reason },
  });
  const missing = (reason: string): Resolution => ({
    status: 'resolved',
    outcome: {
      kind: 'missing',
      at: expected,
      price: null,
      rMultiple: null,
      mfeR: followed > 0 ? mfe : null,
      maeR: followed > 0 ? mae : null,
      candles: followed,
      reason,
    },
  });

  for (const candle of candles) {
    const [time, open, high, low, close] = candle;
    if (time <= previousOpen)
      throw new MalformedCandlesError(`candles out of order or repeated at ${iso(time)}`);
    previousOpen = time;
    if (time <= signal.candleTime) continue;
    if (time + step > now) break; // not closed yet
    if (time !== expected)
      return missing(`no candle at ${iso(expected)}: the series resumes at ${iso(time)} (a gap)`);
    followed++;
    const closedAt = time + step;
    const favourable = long ? high : low;
    const adverse = long ? low : high;
    const track = (fav: number, adv: number) => {
      mfe = Math.max(mfe, fav);
      mae = Math.max(mae, adv);
    };
    if (beyondStop(open)) {
      track(toR(open), -toR(open));
      return reached('stop', closedAt, open, `opened at ${open}, beyond the stop ${signal.stop} (a gap)`);
    }
    if (beyondTarget(open)) {
      track(toR(open), -toR(open));
      return reached(
        'target',
        closedAt,
        open,
        `opened at ${open}, beyond the target ${signal.target} (a gap)`,
      );
    }
    if (beyondStop(adverse)) {
      track(toR(open), 1);
      const both = beyondTarget(favourable) ? ', and the target in the same candle: the stop wins' : '';
      return reached(
        'stop',
        closedAt,
        signal.stop,
        `${long ? 'low' : 'high'} ${adverse} reached the stop${both}`,
      );
    }
    if (beyondTarget(favourable)) {
      track(toR(signal.target), -toR(adverse));
      return reached(
        'target',
        closedAt,
        signal.target,
        `${long ? 'high' : 'low'} ${favourable} reached the target`,
      );
    }
    track(toR(favourable), -toR(adverse));
    lastClose = close;
    if (followed >= expiryCandles)
      return reached(
        'expired',
        closedAt,
        close,
        `neither level within ${expiryCandles} candles: exit at the close`,
      );
    expected += step;
  }

  // The series holds no outcome yet: wait, unless the next candle should be there by now.
  if (expected + step + grace > now)
    return { status: 'open', candles: followed, mfeR: mfe, maeR: mae, lastClose };
  const after = `after ${iso(expected)}`;
  if (candles.length === 0) return missing(`no candles at all for the symbol (delisted, or not served)`);
  if (followed === 0)
    return missing(`no candles ${after}, the close of the signal's candle (delisted or halted)`);
  return missing(`the series ends at ${iso(expected)} after ${followed} candles (delisted or halted)`);
}
