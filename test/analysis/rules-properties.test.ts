import { describe, expect, it } from 'vitest';
import { evaluateSymbol } from '../../src/analysis/rules.js';
import type { Ohlcv } from '../../src/core/candles.js';
import { lcg, randomWalkCandles } from './candle-fixtures.js';

/** Hostile series: flat runs, zero volume, huge gaps, tiny and huge prices, very short series. */
function hostileCandles(seed: number): Ohlcv[] {
  const random = lcg(seed);
  const count = random() < 0.2 ? Math.floor(random() * 6) : Math.floor(random() * 140);
  const flat = random() < 0.25;
  const silent = random() < 0.25;
  let price = [1e-8, 0.003, 1, 250, 90_000, 1e9][Math.floor(random() * 6)]!;
  const candles: Ohlcv[] = [];
  for (let i = 0; i < count; i++) {
    const open = price;
    if (!flat) {
      const gap = random() < 0.03 ? (random() < 0.5 ? 0.01 : 50) : 1; // −99% or ×50 in one candle
      price = Math.max(1e-12, price * gap * (1 + (random() - 0.5) * 0.05));
    }
    const high = flat ? price : Math.max(open, price) * (1 + random() * 0.01);
    const low = flat ? price : Math.min(open, price) * (1 - random() * 0.01);
    const volume = silent ? 0 : random() < 0.1 ? 0 : random() * 1e6;
    candles.push([i * 60_000, open, high, low, price, volume]);
  }
  return candles;
}

describe('rules on hostile series', () => {
  it('give a signal with finite numbers, or no signal with a reason (600 random symbols)', () => {
    let signals = 0;
    for (let seed = 1; seed <= 600; seed++) {
      // Half hostile, half an ordinary market (the same walk on each timeframe, so that signals occur).
      const ordinary = seed % 2 === 0 ? randomWalkCandles(98, seed, 1 + (seed % 7) * 13) : undefined;
      const series = {
        '1h': ordinary ?? hostileCandles(seed),
        '15m': ordinary ?? hostileCandles(seed + 1000),
        '5m': ordinary ?? hostileCandles(seed + 2000),
      };
      const result = evaluateSymbol(`S${seed}/USDT:USDT`, series, ['1h', '15m', '5m']);
      if (result.signal) {
        signals++;
        const { score, price, stop, target } = result.signal;
        for (const v of [score, price, stop, target]) expect(Number.isFinite(v), `seed ${seed}`).toBe(true);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
      } else {
        expect(result.reason, `seed ${seed}`).toMatch(/\w/);
      }
    }
    console.log(`${signals} signals among 600 symbols (300 hostile)`);
    expect(signals).toBeGreaterThan(0);
  });

  it('say why there is no signal on flat prices and on too few candles', () => {
    const flat: Ohlcv[] = Array.from({ length: 98 }, (_, i) => [i * 60_000, 5, 5, 5, 5, 0]);
    expect(
      evaluateSymbol('F/USDT:USDT', { '1h': flat, '15m': flat, '5m': flat }, ['1h', '15m', '5m']),
    ).toEqual({
      reason: expect.stringMatching(/flat|zero ATR|not warmed up/) as string,
    });
    expect(evaluateSymbol('F/USDT:USDT', { '1h': flat.slice(0, 5) }, ['1h', '15m', '5m'])).toEqual({
      reason: expect.stringMatching(/too few candles/) as string,
    });
  });
});
