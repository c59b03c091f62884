/**
 * @module
 * Indicator series over closed candles, aligned with them: `null` until an
 * indicator has warmed up, and `null` (never NaN or Infinity) where it is
 * undefined (no price move at all, a zero range, equal volumes). Pure: no
 * I/O, no clock, no randomness.
 *
 * Conventions are TA-Lib's, value for value and from the same first index
 * (test/analysis/talib-parity.test.ts holds every one to TA-Lib's output to
 * 1e-6; docs/indicator-library.md, "TA-Lib parity"): EMA, α = 2/(n+1),
 * seeded by the SMA of its first n values; Wilder's smoothing (α = 1/n) for
 * RSI, ATR, ±DI and ADX, each seeded as TA-Lib seeds it (see each function);
 * MACD with its fast EMA started late so that both EMAs start together;
 * Bollinger Bands with the population standard deviation. The volume
 * z-score has no TA-Lib counterpart. One deliberate difference: where a
 * value is 0/0 (no price move at all, a zero range) it is null here, where
 * TA-Lib says 0.
 *
 * trading-signals (docs/indicator-library.md says why this library) computes
 * RSI and the Bollinger Bands, where its numbers are TA-Lib's. The rest is
 * written here, because the library's conventions differ and cannot be
 * configured: its EMA (so its MACD) is seeded by the first price and its MACD
 * signal by the first MACD value; its ATR takes the first candle's high − low
 * as a true range (TA-Lib skips that candle); its DX feeds a zero directional
 * move for the first candle and gives ±DI as fractions. Values are read from
 * `update()`'s return: the library's `isStable` and `getResult()` throw and
 * catch before warm-up.
 */
import { BollingerBands, RSI, WSMA } from 'trading-signals';
import type { Ohlcv } from '../core/candles.js';

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

const nulls = (length: number): Series => new Array<number | null>(length).fill(null);
const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** Numbers computed here before they become a Series: meaningful from index `first` (length: never). */
interface Raw {
  values: Float64Array;
  first: number;
}

function toSeries({ values, first }: Raw): Series {
  const out = nulls(values.length);
  for (let i = first; i < values.length; i++) out[i] = finiteOrNull(values[i]!);
  return out;
}

function closesOf(candles: readonly Ohlcv[]): Float64Array {
  const closes = new Float64Array(candles.length);
  for (let i = 0; i < candles.length; i++) closes[i] = candles[i]![4];
  return closes;
}

/**
 * The recursive average behind EMA and Wilder's smoothing, over `input` from
 * index `from`: the SMA of the first `period` values (at from + period − 1),
 * then previous + weight × (value − previous).
 */
function seededAverage(input: Float64Array, from: number, period: number, weight: number): Raw {
  const n = input.length;
  const values = new Float64Array(n);
  const first = from + period - 1;
  if (period < 1 || first >= n) return { values, first: n };
  let sum = 0;
  for (let i = from; i <= first; i++) sum += input[i]!;
  let average = sum / period;
  values[first] = average;
  for (let i = first + 1; i < n; i++) {
    average += weight * (input[i]! - average);
    values[i] = average;
  }
  return { values, first };
}

const emaOf = (input: Float64Array, period: number, from = 0) =>
  seededAverage(input, from, period, 2 / (period + 1));

/** EMA of the close, α = 2/(period + 1), seeded by the SMA: first value at index period − 1. */
export function emaSeries(candles: readonly Ohlcv[], period: number): Series {
  return toSeries(emaOf(closesOf(candles), period));
}

/**
 * RSI (Wilder), by trading-signals: Wilder's smoothing (its WSMA, seeded by
 * the SMA) of the close-to-close gains and losses, first value at index
 * `period`, as TA-Lib's RSI (unstable period 0). Null while the price has not
 * moved at all: the library says 100 for that 0/0, TA-Lib 0.
 */
export function rsiSeries(candles: readonly Ohlcv[], period: number): Series {
  const out = nulls(candles.length);
  const rsi = new RSI(period, WSMA);
  let moved = false;
  for (let i = 0; i < candles.length; i++) {
    const close = candles[i]![4];
    if (i > 0 && close !== candles[i - 1]![4]) moved = true;
    const value = rsi.update(close, false);
    if (value !== null && moved) out[i] = finiteOrNull(value);
  }
  return out;
}

/** True range of candle i ≥ 1: its range stretched to the previous close. */
function trueRangeAt(candles: readonly Ohlcv[], i: number): number {
  const [, , high, low] = candles[i]!;
  const previousClose = candles[i - 1]![4];
  return Math.max(high - low, Math.abs(high - previousClose), Math.abs(low - previousClose));
}

/**
 * ATR as TA-Lib's: Wilder's smoothing of the true range from the second
 * candle, seeded by the mean of true ranges 1…period, so the first value is
 * at index `period`. The first candle has no previous close, so no true
 * range: TA-Lib leaves it out rather than take its high − low, as
 * StockCharts, TradingView and trading-signals' ATR do (they start a candle
 * earlier, and their numbers differ from TA-Lib's by the weight left on that
 * seed: up to 6e-4 relative over candles 78…97 of the simulator's series).
 */
export function atrSeries(candles: readonly Ohlcv[], period: number): Series {
  const n = candles.length;
  const ranges = new Float64Array(n);
  for (let i = 1; i < n; i++) ranges[i] = trueRangeAt(candles, i);
  return toSeries(seededAverage(ranges, 1, period, 1 / period));
}

/**
 * +DI, −DI and ADX as TA-Lib's PLUS_DI, MINUS_DI and ADX, from the second
 * candle: +DM = high − previous high when it exceeds previous low − low and
 * is positive, −DM the mirror, TR the true range. TA-Lib's seed: the sums of
 * the first period − 1 moves (candles 1…period − 1), then Wilder's running
 * sums S − S/period + x from candle `period`, the first DI's. As averages
 * (the ratio +DI = 100 × S(+DM) / S(TR) is the same): those sums divided by
 * `period`, as if the first candle had brought a move of zero, then
 * avg + (x − avg)/period. Wilder's own seed (the sums of moves 1…period) puts
 * DI up to 5e-2 relative away from TA-Lib's, still 2e-3 over candles 78…97,
 * and ADX 7e-3.
 * DX = 100 × |+DI − −DI| / (+DI + −DI), 0 when both are 0 (no directional
 * move: no trend, as TA-Lib says); ADX = Wilder's average of DX, seeded by
 * the mean of DX at candles period…2 × period − 1: first value at index
 * 2 × period − 1. Where the average range is 0 (nothing has moved yet) DI and
 * DX are undefined: null (TA-Lib: 0), and ADX waits.
 */
export function directionalSeries(
  candles: readonly Ohlcv[],
  period: number,
): { plusDi: Series; minusDi: Series; adx: Series } {
  const n = candles.length;
  const plusDi = nulls(n);
  const minusDi = nulls(n);
  const adx = nulls(n);
  if (period < 1) return { plusDi, minusDi, adx };
  const weight = 1 / period;
  // Sums over the first period − 1 moves, then their Wilder averages.
  let plusDm = 0;
  let minusDm = 0;
  let range = 0;
  let dxCount = 0;
  let average = 0; // the sum of the first DX values, then ADX
  for (let i = 1; i < n; i++) {
    const [, , high, low] = candles[i]!;
    const [, , previousHigh, previousLow] = candles[i - 1]!;
    const up = high - previousHigh;
    const down = previousLow - low;
    const plus = up > down && up > 0 ? up : 0;
    const minus = down > up && down > 0 ? down : 0;
    const trueRange = trueRangeAt(candles, i);
    if (i < period) {
      plusDm += plus;
      minusDm += minus;
      range += trueRange;
      continue;
    }
    if (i === period) {
      // TA-Lib's seed: the sums of period − 1 moves over `period` (S/period), then the step to this candle.
      plusDm /= period;
      minusDm /= period;
      range /= period;
    }
    plusDm += weight * (plus - plusDm);
    minusDm += weight * (minus - minusDm);
    range += weight * (trueRange - range);
    if (!(range > 0)) continue;
    const p = (100 * plusDm) / range;
    const m = (100 * minusDm) / range;
    plusDi[i] = finiteOrNull(p);
    minusDi[i] = finiteOrNull(m);
    const dx = p + m > 0 ? (100 * Math.abs(p - m)) / (p + m) : 0;
    if (!Number.isFinite(dx)) continue;
    if (dxCount < period) {
      average += dx;
      if (++dxCount < period) continue;
      average /= period;
    } else {
      average += weight * (dx - average);
    }
    adx[i] = finiteOrNull(average);
  }
  return { plusDi, minusDi, adx };
}

/**
 * MACD as TA-Lib's: line = EMA(fast) − EMA(slow) of the close, signal =
 * EMA(signal) of the line, histogram = line − signal. TA-Lib starts the fast
 * EMA late, seeded by the SMA of closes slow − fast … slow − 1, so that both
 * EMAs start together at slow − 1 (an EMA12 seeded at 11 instead, as
 * StockCharts does, leaves the line up to 1.5e-4 of its scale away over
 * candles 78…97).
 * The signal is seeded by the SMA of the line's first `signal` values, and
 * TA-Lib gives all three from that first signal value on, at
 * slow + signal − 2 (33 for 12/26/9): the line, too, is null before it.
 */
function macdOf(closes: Float64Array, fast: number, slow: number, signal: number) {
  const n = closes.length;
  const slowEma = emaOf(closes, slow);
  const fastEma = emaOf(closes, fast, Math.max(0, slow - fast));
  const start = Math.min(n, Math.max(fastEma.first, slowEma.first));
  const line = new Float64Array(n);
  for (let i = start; i < n; i++) line[i] = fastEma.values[i]! - slowEma.values[i]!;
  const signalLine = emaOf(line, signal, start);
  const hist = new Float64Array(n);
  for (let i = signalLine.first; i < n; i++) hist[i] = line[i]! - signalLine.values[i]!;
  return {
    macd: toSeries({ values: line, first: signalLine.first }),
    signal: toSeries(signalLine),
    hist: toSeries({ values: hist, first: signalLine.first }),
  };
}

/**
 * Bollinger Bands, by trading-signals: SMA(period) ± multiplier × the
 * population standard deviation of the same closes (Bollinger's definition,
 * and TA-Lib's BBANDS with matype 0); first value at index period − 1.
 */
export function bollingerSeries(
  candles: readonly Ohlcv[],
  period = 20,
  multiplier = 2,
): { upper: Series; middle: Series; lower: Series } {
  const n = candles.length;
  const upper = nulls(n);
  const middle = nulls(n);
  const lower = nulls(n);
  const bands = new BollingerBands(period, multiplier);
  for (let i = 0; i < n; i++) {
    const result = bands.update(candles[i]![4], false);
    if (!result) continue;
    upper[i] = finiteOrNull(result.upper);
    middle[i] = finiteOrNull(result.middle);
    lower[i] = finiteOrNull(result.lower);
  }
  return { upper, middle, lower };
}

/**
 * Volume z-score of candle i: (volume_i − mean) / deviation, where mean and
 * deviation (population: divided by `lookback`) are those of the `lookback`
 * candles before it, i − lookback … i − 1; candle i itself is left out, so a
 * spike is measured against what came before it, not diluted by itself. No
 * TA-Lib counterpart (TA-Lib has no z-score): its own convention. First
 * value at index `lookback`. Null where those volumes are all equal (no scale
 * to measure against): a deviation under 1e-12 of the mean counts as zero,
 * because rounding leaves about 1e-17 of deviation on equal volumes (0.1 × 20
 * / 20 ≠ 0.1), which would turn the next candle into a z of 1e15.
 */
export function volumeZSeries(candles: readonly Ohlcv[], lookback = 20): Series {
  const n = candles.length;
  const out = nulls(n);
  if (lookback < 1) return out;
  const volumes = new Float64Array(n);
  for (let i = 0; i < n; i++) volumes[i] = candles[i]![5];
  for (let i = lookback; i < n; i++) {
    let sum = 0;
    for (let j = i - lookback; j < i; j++) sum += volumes[j]!;
    const mean = sum / lookback;
    let squares = 0;
    for (let j = i - lookback; j < i; j++) {
      const d = volumes[j]! - mean;
      squares += d * d;
    }
    const deviation = Math.sqrt(squares / lookback);
    if (deviation > 1e-12 * Math.abs(mean)) out[i] = finiteOrNull((volumes[i]! - mean) / deviation);
  }
  return out;
}

/**
 * Every indicator series the analysis may use, aligned with the candles.
 * First values (index from 0), TA-Lib's: EMA9 8, EMA21 20, EMA50 49, RSI14
 * 14, MACD line, signal and histogram 33, ATR14 14, ±DI14 14, ADX14 27,
 * Bollinger 19; volume z 20 (docs/indicator-library.md: how converged they
 * are at 98).
 */
export function indicatorSeries(candles: readonly Ohlcv[]): IndicatorSeries {
  const closes = closesOf(candles);
  const macd = macdOf(closes, 12, 26, 9);
  const directional = directionalSeries(candles, 14);
  const bands = bollingerSeries(candles, 20, 2);
  return {
    ema9: toSeries(emaOf(closes, 9)),
    ema21: toSeries(emaOf(closes, 21)),
    ema50: toSeries(emaOf(closes, 50)),
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
    volumeZ: volumeZSeries(candles, 20),
  };
}
