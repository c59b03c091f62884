import type { Ohlcv } from '../../src/core/candles.js';

/** A seeded generator (32-bit LCG, Numerical Recipes' constants): the same numbers on every run. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * A random walk of 5-minute candles with drifting trends (a new drift every
 * 40 candles) and occasional volume bursts: the same candles for the same
 * seed. Valid candles: high ≥ max(open, close), low ≤ min(open, close).
 */
export function randomWalkCandles(count: number, seed: number, start = 100): Ohlcv[] {
  const random = lcg(seed);
  const candles: Ohlcv[] = [];
  let price = start;
  let drift = 0;
  for (let i = 0; i < count; i++) {
    if (i % 40 === 0) drift = (random() - 0.5) * 0.004;
    const open = price;
    price = Math.max(start * 1e-3, price * (1 + drift + (random() - 0.5) * 0.02));
    const high = Math.max(open, price) * (1 + random() * 0.006);
    const low = Math.min(open, price) * (1 - random() * 0.006);
    const volume = 1000 * (0.5 + random()) * (random() < 0.05 ? 6 : 1);
    candles.push([1_700_000_000_000 + i * 300_000, open, high, low, price, volume]);
  }
  return candles;
}
