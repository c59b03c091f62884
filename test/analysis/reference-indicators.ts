// Indicators written again from their definitions, with TA-Lib's conventions
// (its seeds, ATR's first true range, the DMI's and MACD's starts: checked
// against TA-Lib itself in talib-parity.test.ts), in another form than
// src/analysis/indicators.ts and without trading-signals: the reference the
// tests hold the analysis to on random series. Plain and slow on purpose:
// windows recomputed from scratch, the DMI in TA-Lib's running-sum
// bookkeeping (Wilder's, seeded otherwise), EMA as (x − EMA)·k + EMA.
import type { IndicatorSeries } from '../../src/analysis/indicators.js';
import type { Ohlcv } from '../../src/core/candles.js';

type Out = Array<number | null>;
const nulls = (n: number): Out => Array.from({ length: n }, () => null);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const populationDeviation = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};

/** EMA: the first value is the SMA of the first n inputs; then EMA_t = (x_t − EMA_{t−1}) · 2/(n+1) + EMA_{t−1}. */
export function refEma(xs: Array<number | null>, n: number): Out {
  const out = nulls(xs.length);
  const start = xs.findIndex((x) => x !== null);
  if (start < 0 || xs.length - start < n) return out;
  const k = 2 / (n + 1);
  out[start + n - 1] = mean(xs.slice(start, start + n) as number[]);
  for (let t = start + n; t < xs.length; t++) out[t] = (xs[t]! - out[t - 1]!) * k + out[t - 1]!;
  return out;
}

/**
 * RSI (Wilder 1978): the averages of the first n gains and losses (changes 1…n),
 * then avg_t = (avg_{t−1} · (n − 1) + x_t) / n; RSI = 100 − 100 / (1 + gain / loss).
 */
export function refRsi(closes: number[], n: number): Out {
  const out = nulls(closes.length);
  if (closes.length <= n) return out;
  const gains: number[] = [];
  const losses: number[] = [];
  for (let t = 1; t < closes.length; t++) {
    const change = closes[t]! - closes[t - 1]!;
    gains.push(Math.max(change, 0));
    losses.push(Math.max(-change, 0));
  }
  let gain = mean(gains.slice(0, n));
  let loss = mean(losses.slice(0, n));
  const rsi = () => (loss === 0 ? 100 : 100 - 100 / (1 + gain / loss));
  out[n] = rsi();
  for (let t = n + 1; t < closes.length; t++) {
    gain = (gain * (n - 1) + gains[t - 1]!) / n;
    loss = (loss * (n - 1) + losses[t - 1]!) / n;
    out[t] = rsi();
  }
  return out;
}

/** True range of candle t ≥ 1 (the first candle has none: no previous close). */
const trueRange = (c: Ohlcv[], t: number) =>
  Math.max(c[t]![2] - c[t]![3], Math.abs(c[t]![2] - c[t - 1]![4]), Math.abs(c[t]![3] - c[t - 1]![4]));

/** ATR (TA-Lib): the mean of true ranges 1…n (candle 0 has none), at index n; then (ATR · (n − 1) + TR) / n. */
export function refAtr(c: Ohlcv[], n: number): Out {
  const out = nulls(c.length);
  if (c.length <= n) return out;
  out[n] = mean(c.slice(1, n + 1).map((_, k) => trueRange(c, k + 1)));
  for (let t = n + 1; t < c.length; t++) out[t] = (out[t - 1]! * (n - 1) + trueRange(c, t)) / n;
  return out;
}

/**
 * The DMI in TA-Lib's bookkeeping: running sums from the second candle, first
 * the plain sum of the first n − 1 moves (candles 1…n − 1), then S − S/n + x
 * from candle n (Wilder sums n moves before his first S − S/n + x); DI as the
 * ratio of the sums in percent from candle n, DX = 100·|+DI − −DI| / (+DI +
 * −DI), ADX the mean of DX n…2n − 1, then (ADX·(n − 1) + DX) / n.
 */
export function refDmi(c: Ohlcv[], n: number): { plusDi: Out; minusDi: Out; adx: Out } {
  const plusDi = nulls(c.length);
  const minusDi = nulls(c.length);
  const adx = nulls(c.length);
  const dx = nulls(c.length);
  let tr = 0;
  let pdm = 0;
  let mdm = 0;
  for (let t = 1; t < c.length; t++) {
    const up = c[t]![2] - c[t - 1]![2];
    const down = c[t - 1]![3] - c[t]![3];
    const p = up > down && up > 0 ? up : 0;
    const m = down > up && down > 0 ? down : 0;
    if (t < n) {
      tr += trueRange(c, t);
      pdm += p;
      mdm += m;
      continue;
    }
    tr = tr - tr / n + trueRange(c, t);
    pdm = pdm - pdm / n + p;
    mdm = mdm - mdm / n + m;
    plusDi[t] = (100 * pdm) / tr;
    minusDi[t] = (100 * mdm) / tr;
    const sum = plusDi[t]! + minusDi[t]!;
    dx[t] = sum === 0 ? 0 : (100 * Math.abs(plusDi[t]! - minusDi[t]!)) / sum;
  }
  const firstAdx = 2 * n - 1;
  if (c.length > firstAdx) {
    adx[firstAdx] = mean(dx.slice(n, firstAdx + 1) as number[]);
    for (let t = firstAdx + 1; t < c.length; t++) adx[t] = (adx[t - 1]! * (n - 1) + dx[t]!) / n;
  }
  return { plusDi, minusDi, adx };
}

/** Bollinger: the mean ± k · the population standard deviation of the last n closes. */
export function refBollinger(
  closes: number[],
  n: number,
  k: number,
): { upper: Out; middle: Out; lower: Out } {
  const upper = nulls(closes.length);
  const middle = nulls(closes.length);
  const lower = nulls(closes.length);
  for (let t = n - 1; t < closes.length; t++) {
    const window = closes.slice(t - n + 1, t + 1);
    const m = mean(window);
    const sd = populationDeviation(window);
    middle[t] = m;
    upper[t] = m + k * sd;
    lower[t] = m - k * sd;
  }
  return { upper, middle, lower };
}

/**
 * MACD (TA-Lib): EMA12 − EMA26 of the close, EMA12 started on close 14 so that
 * both begin at 25; its signal (EMA9 of the line, SMA-seeded, from 33) and the
 * histogram; all three given from the signal's first value on.
 */
export function refMacd(closes: number[]): { macd: Out; signal: Out; hist: Out } {
  const fast = refEma(
    closes.map((x, t) => (t < 26 - 12 ? null : x)),
    12,
  );
  const slow = refEma(closes, 26);
  const line = fast.map((f, t) => (f === null || slow[t] === null ? null : f - slow[t]!));
  const signal = refEma(line, 9);
  const macd = line.map((m, t) => (signal[t] === null ? null : m));
  const hist = line.map((m, t) => (m === null || signal[t] === null ? null : m - signal[t]!));
  return { macd, signal, hist };
}

/** Volume z-score against the n volumes before this candle (population deviation). */
export function refVolumeZ(c: Ohlcv[], n: number): Out {
  return c.map((candle, t) => {
    if (t < n) return null;
    const previous = c.slice(t - n, t).map((x) => x[5]);
    const sd = populationDeviation(previous);
    return sd > 0 ? (candle[5] - mean(previous)) / sd : null;
  });
}

/** Every series of `indicatorSeries`, from the references. */
export function refIndicatorSeries(candles: Ohlcv[]): IndicatorSeries {
  const closes = candles.map((c) => c[4]);
  const macd = refMacd(closes);
  const dmi = refDmi(candles, 14);
  const bb = refBollinger(closes, 20, 2);
  return {
    ema9: refEma(closes, 9),
    ema21: refEma(closes, 21),
    ema50: refEma(closes, 50),
    rsi14: refRsi(closes, 14),
    macd: macd.macd,
    macdSignal: macd.signal,
    macdHist: macd.hist,
    atr14: refAtr(candles, 14),
    adx14: dmi.adx,
    plusDi14: dmi.plusDi,
    minusDi14: dmi.minusDi,
    bbUpper: bb.upper,
    bbMiddle: bb.middle,
    bbLower: bb.lower,
    volumeZ: refVolumeZ(candles, 20),
  };
}

/** Where each indicator's first value is (index from 0), by TA-Lib's conventions (its lookbacks). */
export const FIRST_VALUE: Record<keyof IndicatorSeries, number> = {
  ema9: 8, // SMA of closes 0…8
  ema21: 20,
  ema50: 49,
  rsi14: 14, // 14 changes need 15 closes
  macd: 33, // computed from 25 (both EMAs' first), given from the signal's first, as TA-Lib
  macdSignal: 33, // SMA of the first 9 MACD values, 25…33
  macdHist: 33,
  atr14: 14, // mean of true ranges 1…14 (candle 0 has no previous close)
  adx14: 27, // DX from 14 on, mean of DX 14…27
  plusDi14: 14,
  minusDi14: 14,
  bbUpper: 19,
  bbMiddle: 19,
  bbLower: 19,
  volumeZ: 20, // needs 20 candles before it
};
