import { BollingerBands, RSI, WSMA } from 'trading-signals';
import type { Ohlcv } from '../market-data/validate-candles.js';

/**
 * Indicator series over closed candles, aligned with them: `null` until an
 * indicator has warmed up, and `null` (never NaN or Infinity) where it is
 * undefined (a zero range, zero volume). Standard conventions, as TA-Lib and
 * TradingView compute them: EMA seeded by the SMA of its first `period`
 * values; Wilder's smoothing (RMA: seeded by the SMA, then 1/period) for RSI,
 * ATR, +DI/−DI and ADX; Bollinger Bands with the population deviation.
 *
 * trading-signals (docs/indicator-library.md says why this library) computes
 * RSI and the Bollinger Bands, and Wilder's smoothing. EMA, MACD, ATR and
 * ADX are written here: its EMA is seeded by the first price, not the SMA;
 * its DX feeds a zero directional move for the first candle (Wilder's starts
 * at the second) and gives DI as a fraction; and its warm-up checks throw
 * and catch an exception on every candle (0.16 s of a cycle's CPU, profiled).
 */
export type Series = Array<number | null>;

export interface IndicatorSeries {
  ema9: Series;
  ema21: Series;
  ema50: Series;
  rsi14: Series;
  macd: Series;
  macdSignal: Series;
  macdHist: Series;
  atr14: Series;
  adx14: Series;
  plusDi14: Series;
  minusDi14: Series;
  bbUpper: Series;
  bbMiddle: Series;
  bbLower: Series;
  volumeZ: Series;
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);
const closes = (candles: readonly Ohlcv[]) => candles.map((c) => c[4]);

/**
 * A recursive average over `values` from their first non-null value on:
 * seeded by the SMA of the first `period` values, then
 * `previous + weight × (value − previous)`.
 */
function seededAverage(values: readonly (number | null)[], period: number, weight: number): Series {
  const out: Series = values.map(() => null);
  const first = values.findIndex((v) => v !== null);
  if (first < 0 || period < 1 || values.length - first < period) return out;
  let sum = 0;
  for (let i = first; i < first + period; i++) sum += values[i]!;
  let previous = sum / period;
  out[first + period - 1] = finiteOrNull(previous);
  for (let i = first + period; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) break; // a hole ends the series
    previous += weight * (value - previous);
    out[i] = finiteOrNull(previous);
  }
  return out;
}

/** EMA, α = 2 / (period + 1), seeded by the SMA. */
export function emaOf(values: readonly (number | null)[], period: number): Series {
  return seededAverage(values, period, 2 / (period + 1));
}

/** Wilder's smoothing (RMA), α = 1 / period, seeded by the SMA. */
export function wilderOf(values: readonly (number | null)[], period: number): Series {
  return seededAverage(values, period, 1 / period);
}

export function emaSeries(candles: readonly Ohlcv[], period: number): Series {
  return emaOf(closes(candles), period);
}

/**
 * RSI (Wilder): average gain and loss of the close-to-close changes by
 * Wilder's smoothing; the first value at index `period`. trading-signals'
 * RSI, fed with the closes; flat prices (no gain, no loss) give null.
 */
export function rsiSeries(candles: readonly Ohlcv[], period: number): Series {
  const rsi = new RSI(period, WSMA);
  let previous: number | undefined;
  let moved = false;
  return candles.map((c) => {
    if (previous !== undefined && c[4] !== previous) moved = true;
    previous = c[4];
    const value = rsi.update(c[4], false);
    // RSI is 0/0 until the price has moved at all: say so rather than print 100.
    return value === null || !moved ? null : finiteOrNull(value);
  });
}

/** True range: high − low for the first candle, then the largest of the three ranges. */
export function trueRangeSeries(candles: readonly Ohlcv[]): number[] {
  return candles.map((c, i) => {
    const previousClose = i > 0 ? candles[i - 1]![4] : undefined;
    if (previousClose === undefined) return c[2] - c[3];
    return Math.max(c[2] - c[3], Math.abs(c[2] - previousClose), Math.abs(c[3] - previousClose));
  });
}

/** ATR: Wilder's smoothing of the true range (first value at index period − 1, as TradingView). */
export function atrSeries(candles: readonly Ohlcv[], period: number): Series {
  return wilderOf(trueRangeSeries(candles), period);
}

/**
 * +DI, −DI and ADX (Wilder 1978). Directional moves from the second candle:
 * +DM = high − previous high when it exceeds previous low − low (and is
 * positive), −DM the mirror. +DI = 100 × RMA(+DM) / RMA(TR) over the same
 * candles (first at index `period`); DX = 100 × |+DI − −DI| / (+DI + −DI);
 * ADX = RMA(DX) (first at index 2 × period − 1).
 */
export function directionalSeries(
  candles: readonly Ohlcv[],
  period: number,
): { plusDi: Series; minusDi: Series; adx: Series } {
  const plusDm: Series = [null];
  const minusDm: Series = [null];
  const trueRange: Series = [null];
  for (let i = 1; i < candles.length; i++) {
    const [, , high, low, , ,] = candles[i]!;
    const [, , previousHigh, previousLow, previousClose] = candles[i - 1]!;
    const up = high - previousHigh;
    const down = previousLow - low;
    plusDm.push(up > down && up > 0 ? up : 0);
    minusDm.push(down > up && down > 0 ? down : 0);
    trueRange.push(Math.max(high - low, Math.abs(high - previousClose), Math.abs(low - previousClose)));
  }
  const smoothedPlus = wilderOf(plusDm, period);
  const smoothedMinus = wilderOf(minusDm, period);
  const smoothedRange = wilderOf(trueRange, period);
  const plusDi: Series = [];
  const minusDi: Series = [];
  const dx: Series = [];
  for (let i = 0; i < candles.length; i++) {
    const range = smoothedRange[i];
    const plus = smoothedPlus[i];
    const minus = smoothedMinus[i];
    if (range === null || range === undefined || plus == null || minus == null || range <= 0) {
      plusDi.push(null);
      minusDi.push(null);
      dx.push(null);
      continue;
    }
    const p = (100 * plus) / range;
    const m = (100 * minus) / range;
    plusDi.push(finiteOrNull(p));
    minusDi.push(finiteOrNull(m));
    dx.push(p + m > 0 ? finiteOrNull((100 * Math.abs(p - m)) / (p + m)) : null);
  }
  return { plusDi, minusDi, adx: wilderOf(dx, period) };
}

/** MACD: EMA(fast) − EMA(slow) of the close; signal: EMA of the MACD line (SMA-seeded); histogram: their difference. */
export function macdSeries(
  candles: readonly Ohlcv[],
  fast = 12,
  slow = 26,
  signal = 9,
): { macd: Series; signal: Series; hist: Series } {
  const fastEma = emaSeries(candles, fast);
  const slowEma = emaSeries(candles, slow);
  const line = fastEma.map((f, i) => (f === null || slowEma[i] === null ? null : f - slowEma[i]!));
  const signalLine = emaOf(line, signal);
  return {
    macd: line,
    signal: signalLine,
    hist: line.map((m, i) => (m === null || signalLine[i] === null ? null : m - signalLine[i]!)),
  };
}

/** Bollinger Bands: SMA(period) ± multiplier × population standard deviation (trading-signals). */
export function bollingerSeries(
  candles: readonly Ohlcv[],
  period = 20,
  multiplier = 2,
): { upper: Series; middle: Series; lower: Series } {
  const bands = new BollingerBands(period, multiplier);
  const upper: Series = [];
  const middle: Series = [];
  const lower: Series = [];
  for (const c of candles) {
    const result = bands.update(c[4], false);
    upper.push(result ? finiteOrNull(result.upper) : null);
    middle.push(result ? finiteOrNull(result.middle) : null);
    lower.push(result ? finiteOrNull(result.lower) : null);
  }
  return { upper, middle, lower };
}

/**
 * Volume z-score: (volume − mean) / standard deviation (population) of the
 * `lookback` candles before this one, so a spike is measured against what
 * came before it. Null while fewer than `lookback` candles precede, or when
 * those volumes are all equal (zero deviation: no scale to measure against).
 */
export function volumeZSeries(candles: readonly Ohlcv[], lookback = 20): Series {
  return candles.map((c, i) => {
    if (i < lookback) return null;
    let sum = 0;
    for (let j = i - lookback; j < i; j++) sum += candles[j]![5];
    const mean = sum / lookback;
    let squares = 0;
    for (let j = i - lookback; j < i; j++) squares += (candles[j]![5] - mean) ** 2;
    const deviation = Math.sqrt(squares / lookback);
    return deviation > 0 ? finiteOrNull((c[5] - mean) / deviation) : null;
  });
}

/** Every indicator series the analysis may use, aligned with the candles. */
export function indicatorSeries(candles: readonly Ohlcv[]): IndicatorSeries {
  const macd = macdSeries(candles);
  const directional = directionalSeries(candles, 14);
  const bands = bollingerSeries(candles);
  return {
    ema9: emaSeries(candles, 9),
    ema21: emaSeries(candles, 21),
    ema50: emaSeries(candles, 50),
    rsi14: rsiSeries(candles, 14),
    macd: macd.macd,
    macdSignal: macd.signal,
    macdHist: macd.hist,
    atr14: atrSeries(candles, 14),
    adx14: directional.adx,
    plusDi14: directional.plusDi,
    minusDi14: directional.minusDi,
    bbUpper: bands.upper,
    bbMiddle: bands.middle,
    bbLower: bands.lower,
    volumeZ: volumeZSeries(candles),
  };
}
