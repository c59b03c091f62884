/**
 * @module
 * The multi-timeframe rules: trend on the largest timeframe, momentum on the
 * middle one, trigger on the smallest (1h / 15m / 5m by default). Pure:
 * closed candles in, a signal or the reason for none out.
 *
 * - Trend: close > EMA fast > EMA slow is up (LONG); the mirror is down.
 *   Score up to 40, by the EMA gap in ATRs.
 * - Momentum: RSI within [rsiLongMin, rsiLongMax] for LONG, mirrored around
 *   50 for SHORT. Score up to 30, by the distance from 50.
 * - Trigger: the last close breaks the range of the previous
 *   `breakoutLookback` candles (30), or crosses the trigger EMA (20), in the
 *   trend's direction. A volume spike adds 10 (capped at 100).
 * - Entry is the last close; stop and target are `stopAtr` and `targetAtr`
 *   ATRs away on the trigger timeframe.
 */
import type { Ohlcv } from '../core/candles.js';
import type { Direction, Signal } from '../analysis/signal.js';
import type { Timeframe } from '../core/timeframes.js';
import { atrSeries, emaSeries, rsiSeries } from './indicators.js';
import { DEFAULT_RULE_PARAMS, type RuleParams } from './params.js';

export type Evaluation = { signal: Signal } | { signal?: undefined; reason: string };

const last = <T>(values: readonly T[]): T | undefined => values[values.length - 1];

function isUsable(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function evaluateSymbol(
  symbol: string,
  series: Partial<Record<Timeframe, readonly Ohlcv[]>>,
  timeframes: readonly Timeframe[],
  params: RuleParams = DEFAULT_RULE_PARAMS,
): Evaluation {
  if (timeframes.length === 0) return { reason: 'no timeframes' };
  const trendTf = timeframes[0]!;
  const triggerTf = timeframes[timeframes.length - 1]!;
  const momentumTf = timeframes[Math.min(1, timeframes.length - 1)]!;
  const trendCandles = series[trendTf] ?? [];
  const momentumCandles = series[momentumTf] ?? [];
  const triggerCandles = series[triggerTf] ?? [];
  const need = Math.max(
    params.trendSlowEma,
    params.rsiPeriod + 1,
    params.breakoutLookback + 2,
    params.atrPeriod + 1,
  );
  if (Math.min(trendCandles.length, momentumCandles.length, triggerCandles.length) < need) {
    return { reason: `too few candles (need ${need} on each timeframe)` };
  }

  // Trend.
  const fast = last(emaSeries(trendCandles, params.trendFastEma));
  const slow = last(emaSeries(trendCandles, params.trendSlowEma));
  const trendAtr = last(atrSeries(trendCandles, params.atrPeriod));
  const trendClose = last(trendCandles)![4];
  if (!isUsable(fast) || !isUsable(slow) || !isUsable(trendAtr))
    return { reason: 'trend indicators not warmed up' };
  if (trendAtr <= 0) return { reason: 'flat prices (zero ATR)' };
  let direction: Direction;
  if (trendClose > fast && fast > slow) direction = 'LONG';
  else if (trendClose < fast && fast < slow) direction = 'SHORT';
  else return { reason: `no ${trendTf} trend` };
  const sign = direction === 'LONG' ? 1 : -1;
  const reasons = [
    `${trendTf} trend ${direction === 'LONG' ? 'up' : 'down'}: close ${direction === 'LONG' ? '>' : '<'} EMA${params.trendFastEma} ${direction === 'LONG' ? '>' : '<'} EMA${params.trendSlowEma}`,
  ];
  let score = Math.min(40, 20 + (20 * Math.abs(fast - slow)) / trendAtr / 2);
  const agreeing: Timeframe[] = [trendTf];

  // Momentum.
  const rsi = last(rsiSeries(momentumCandles, params.rsiPeriod));
  if (!isUsable(rsi)) return { reason: 'momentum indicator not warmed up' };
  const centred = sign * (rsi - 50);
  const min = params.rsiLongMin - 50;
  const max = params.rsiLongMax - 50;
  if (centred < min || centred > max)
    return { reason: `${momentumTf} RSI ${rsi.toFixed(1)} outside the ${direction} band` };
  score += 15 + (15 * (centred - min)) / Math.max(1, max - min);
  reasons.push(`${momentumTf} RSI${params.rsiPeriod} ${rsi.toFixed(1)}`);
  if (momentumTf !== trendTf) agreeing.push(momentumTf);

  // Trigger.
  const closes = triggerCandles.map((c) => c[4]);
  const lastClose = last(closes)!;
  const previous = triggerCandles.slice(-1 - params.breakoutLookback, -1);
  const rangeHigh = Math.max(...previous.map((c) => c[2]));
  const rangeLow = Math.min(...previous.map((c) => c[3]));
  const ema = emaSeries(triggerCandles, params.triggerEma);
  const emaNow = ema[ema.length - 1];
  const emaBefore = ema[ema.length - 2];
  const closeBefore = closes[closes.length - 2]!;
  const breakout = direction === 'LONG' ? lastClose > rangeHigh : lastClose < rangeLow;
  const crossed =
    isUsable(emaNow) &&
    isUsable(emaBefore) &&
    sign * (closeBefore - emaBefore) <= 0 &&
    sign * (lastClose - emaNow) > 0;
  if (breakout) {
    score += 30;
    reasons.push(
      `${triggerTf} close breaks the ${params.breakoutLookback}-candle ${direction === 'LONG' ? 'high' : 'low'}`,
    );
  } else if (crossed) {
    score += 20;
    reasons.push(`${triggerTf} close crosses EMA${params.triggerEma}`);
  } else {
    return { reason: `no ${triggerTf} trigger` };
  }
  if (triggerTf !== momentumTf && triggerTf !== trendTf) agreeing.push(triggerTf);
  const volumes = previous.map((c) => c[5]);
  const meanVolume = volumes.reduce((a, b) => a + b, 0) / volumes.length;
  if (meanVolume > 0 && last(triggerCandles)![5] > params.volumeSpike * meanVolume) {
    score += 10;
    reasons.push(`${triggerTf} volume ${(last(triggerCandles)![5] / meanVolume).toFixed(1)}x its mean`);
  }

  const atr = last(atrSeries(triggerCandles, params.atrPeriod));
  if (!isUsable(atr) || atr <= 0) return { reason: 'flat prices (zero ATR)' };
  score = Math.round(Math.min(100, score));
  if (score < params.minScore) return { reason: `score ${score} below ${params.minScore}` };
  return {
    signal: {
      symbol,
      direction,
      score,
      reasons,
      price: lastClose,
      stop: lastClose - sign * params.stopAtr * atr,
      target: lastClose + sign * params.targetAtr * atr,
      timeframes: agreeing,
      candleTime: last(triggerCandles)![0],
    },
  };
}
