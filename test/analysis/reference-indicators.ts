// Indicators written again from their definitions, in another form than
// src/analysis/indicators.ts and without trading-signals: the reference the
// tests hold the analysis to.
import type { Ohlcv } from '../../src/market-data/validate-candles.js';

type Out = Array<number | null>;
const nulls = (n: number): Out => Array.from({ length: n }, () => null);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

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

/** RSI (Wilder): averages of the first n gains and losses, then avg_t = (avg_{t−1} · (n − 1) + x_t) / n. */
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

const trueRange = (c: Ohlcv[], t: number) =>
  t === 0
    ? c[0]![2] - c[0]![3]
    : Math.max(c[t]![2] - c[t]![3], Math.abs(c[t]![2] - c[t - 1]![4]), Math.abs(c[t]![3] - c[t - 1]![4]));

/** ATR: the mean of the first n true ranges (the first one is high − low), then (ATR · (n − 1) + TR) / n. */
export function refAtr(c: Ohlcv[], n: number): Out {
  const out = nulls(c.length);
  if (c.length < n) return out;
  out[n - 1] = mean(c.slice(0, n).map((_, t) => trueRange(c, t)));
  for (let t = n; t < c.length; t++) out[t] = (out[t - 1]! * (n - 1) + trueRange(c, t)) / n;
  return out;
}

/**
 * Wilder's DMI in his own bookkeeping: running 14-period sums (first the plain
 * sum of the first n values from the second candle, then S − S/n + x), DI as
 * the ratio of the sums, ADX the mean of the first n DX, then (ADX·(n−1) + DX)/n.
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
    if (t <= n) {
      tr += trueRange(c, t);
      pdm += p;
      mdm += m;
      if (t < n) continue;
    } else {
      tr = tr - tr / n + trueRange(c, t);
      pdm = pdm - pdm / n + p;
      mdm = mdm - mdm / n + m;
    }
    plusDi[t] = (100 * pdm) / tr;
    minusDi[t] = (100 * mdm) / tr;
    dx[t] = (100 * Math.abs(plusDi[t]! - minusDi[t]!)) / (plusDi[t]! + minusDi[t]!);
  }
  const firstAdx = 2 * n - 1;
  if (c.length > firstAdx) {
    adx[firstAdx] = mean(dx.slice(n, firstAdx + 1) as number[]);
    for (let t = firstAdx + 1; t < c.length; t++) adx[t] = (adx[t - 1]! * (n - 1) + dx[t]!) / n;
  }
  return { plusDi, minusDi, adx };
}

/** Bollinger: mean ± k · population standard deviation of the last n closes. */
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
    const sd = Math.sqrt(mean(window.map((x) => (x - m) ** 2)));
    middle[t] = m;
    upper[t] = m + k * sd;
    lower[t] = m - k * sd;
  }
  return { upper, middle, lower };
}

/** MACD line, its signal (EMA of the line, seeded by the SMA of its first values) and the histogram. */
export function refMacd(closes: number[]): { macd: Out; signal: Out; hist: Out } {
  const fast = refEma(closes, 12);
  const slow = refEma(closes, 26);
  const macd = fast.map((f, t) => (f === null || slow[t] === null ? null : f - slow[t]!));
  const signal = refEma(macd, 9);
  const hist = macd.map((m, t) => (m === null || signal[t] === null ? null : m - signal[t]!));
  return { macd, signal, hist };
}

/** Volume z-score against the previous n volumes (population deviation). */
export function refVolumeZ(c: Ohlcv[], n: number): Out {
  return c.map((candle, t) => {
    if (t < n) return null;
    const previous = c.slice(t - n, t).map((x) => x[5]);
    const m = mean(previous);
    const sd = Math.sqrt(mean(previous.map((v) => (v - m) ** 2)));
    return sd > 0 ? (candle[5] - m) / sd : null;
  });
}
