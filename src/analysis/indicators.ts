import { ATR, EMA, RSI } from 'trading-signals';
import type { Ohlcv } from '../market-data/validate-candles.js';

/**
 * Indicator series over closed candles, from the trading-signals library,
 * aligned with the candles: null until the indicator has warmed up.
 */
export function emaSeries(candles: readonly Ohlcv[], period: number): Array<number | null> {
  const ema = new EMA(period);
  return candles.map((c) => {
    ema.add(c[4]);
    return ema.isStable ? ema.getResult() : null;
  });
}

export function rsiSeries(candles: readonly Ohlcv[], period: number): Array<number | null> {
  const rsi = new RSI(period);
  return candles.map((c) => {
    rsi.add(c[4]);
    return rsi.isStable ? rsi.getResult() : null;
  });
}

export function atrSeries(candles: readonly Ohlcv[], period: number): Array<number | null> {
  const atr = new ATR(period);
  return candles.map((c) => {
    atr.add({ high: c[2], low: c[3], close: c[4] });
    return atr.isStable ? atr.getResult() : null;
  });
}
