import type { Ohlcv } from '../../src/market-data/validate-candles.js';

/** A seeded random walk with trends and volume bursts: the same candles on every run. */
export function randomCandles(count: number, seed: number, start = 100): Ohlcv[] {
  let state = seed >>> 0 || 1;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const candles: Ohlcv[] = [];
  let price = start;
  let drift = 0;
  for (let i = 0; i < count; i++) {
    if (i % 40 === 0) drift = (random() - 0.5) * 0.004;
    const open = price;
    price = Math.max(0.0001, price * (1 + drift + (random() - 0.5) * 0.02));
    const high = Math.max(open, price) * (1 + random() * 0.006);
    const low = Math.min(open, price) * (1 - random() * 0.006);
    const volume = 1000 * (0.5 + random()) * (random() < 0.05 ? 6 : 1);
    candles.push([1_700_000_000_000 + i * 300_000, open, high, low, price, volume]);
  }
  return candles;
}
