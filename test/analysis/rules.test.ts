import { describe, expect, it } from 'vitest';
import { rankSignals } from '../../src/analysis/rank.js';
import { evaluateSymbol } from '../../src/analysis/rules.js';
import type { Ohlcv } from '../../src/core/candles.js';
import type { Signal } from '../../src/analysis/signal.js';
import type { Timeframe } from '../../src/core/timeframes.js';

const TF: Timeframe[] = ['1h', '15m', '5m'];
const STEP = { '1h': 3_600_000, '15m': 900_000, '5m': 300_000 } as const;

/** A series from a close path: each candle opens at the previous close, with small wicks. */
function series(tf: keyof typeof STEP, closes: number[], volume = (_i: number) => 100): Ohlcv[] {
  return closes.map((c, i) => {
    const o = i === 0 ? c : closes[i - 1]!;
    return [i * STEP[tf], o, Math.max(o, c) * 1.001, Math.min(o, c) * 0.999, c, volume(i)];
  });
}

const wave = (i: number) => Math.sin(i / 3) * 0.4;

describe('signal rules', () => {
  it('goes LONG on an uptrend with momentum and a breakout, with stop below and target above', () => {
    const up = Array.from({ length: 98 }, (_, i) => 100 + i * 0.5 + wave(i));
    const momentum = Array.from({ length: 98 }, (_, i) => 100 + i * 0.05 + 3 * wave(i));
    const trigger = Array.from({ length: 98 }, (_, i) => (i < 97 ? 100 + wave(i) : 102));
    const result = evaluateSymbol(
      'X',
      {
        '1h': series('1h', up),
        '15m': series('15m', momentum),
        '5m': series('5m', trigger, (i) => (i === 97 ? 500 : 100)),
      },
      TF,
    );
    expect(result.signal).toBeDefined();
    const signal = result.signal!;
    expect(signal.direction).toBe('LONG');
    expect(signal.timeframes).toEqual(TF);
    expect(signal.stop).toBeLessThan(signal.price);
    expect(signal.target).toBeGreaterThan(signal.price);
    expect(signal.score).toBeGreaterThanOrEqual(40);
    expect(signal.score).toBeLessThanOrEqual(100);
    expect(signal.reasons.join(' ')).toMatch(/breaks the 12-candle high.*volume/);
  });

  it('mirrors to SHORT on a downtrend', () => {
    const down = Array.from({ length: 98 }, (_, i) => 200 - i * 0.5 + wave(i));
    const momentum = Array.from({ length: 98 }, (_, i) => 200 - i * 0.12 + 3 * wave(i));
    const trigger = Array.from({ length: 98 }, (_, i) => (i < 97 ? 150 + wave(i) : 148));
    const result = evaluateSymbol(
      'X',
      { '1h': series('1h', down), '15m': series('15m', momentum), '5m': series('5m', trigger) },
      TF,
    );
    expect(result.signal?.direction).toBe('SHORT');
    expect(result.signal!.stop).toBeGreaterThan(result.signal!.price);
  });

  it.each([
    ['too few candles', { '1h': series('1h', [1, 2, 3]) }, /too few candles/],
    [
      'flat prices',
      {
        '1h': series('1h', Array<number>(98).fill(5)),
        '15m': series('15m', Array<number>(98).fill(5)),
        '5m': series('5m', Array<number>(98).fill(5)),
      },
      /no 1h trend|flat/,
    ],
  ])('says why there is no signal: %s', (_name, data, reason) => {
    const result = evaluateSymbol('X', data, TF);
    expect(result.signal).toBeUndefined();
    expect('reason' in result && result.reason).toMatch(reason);
  });

  it('ranks by score, then agreeing timeframes, then symbol', () => {
    const s = (symbol: string, score: number, n: number): Signal => ({
      symbol,
      direction: 'LONG',
      score,
      reasons: [],
      price: 1,
      stop: 0.9,
      target: 1.2,
      timeframes: TF.slice(0, n),
      candleTime: 0,
    });
    const ranked = rankSignals([s('B', 50, 3), s('A', 50, 3), s('C', 90, 1), s('D', 50, 2)]);
    expect(ranked.map((x) => x.symbol)).toEqual(['C', 'A', 'B', 'D']);
  });
});
