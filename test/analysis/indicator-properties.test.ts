import { describe, expect, it } from 'vitest';
import { indicatorSeries, type IndicatorSeries, type Series } from '../../src/analysis/indicators.js';
import type { Ohlcv } from '../../src/core/candles.js';
import { lcg, randomWalkCandles } from './candle-fixtures.js';
import { FIRST_VALUE } from './reference-indicators.js';

const NAMES = Object.keys(FIRST_VALUE) as Array<keyof IndicatorSeries>;

/**
 * Hostile but valid candles (high ≥ max(open, close), low ≤ min(open, close),
 * volume ≥ 0, every number finite, as validateCandles lets through): 0–5
 * candles in a fifth of the cases; prices from 1e-300 to 1e300; flat markets
 * and flat stretches; zero, equal and astronomic volumes; gaps of −99% or ×50
 * in one candle.
 */
function hostileCandles(seed: number): Ohlcv[] {
  const random = lcg(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const count =
    random() < 0.2 ? Math.floor(random() * 6) : pick([98, 98, 99, 6 + Math.floor(random() * 200)]);
  const flat = random() < 0.15; // not a single move
  const stretches = random() < 0.3; // flat runs (a dead 5m market) between moves
  const volumes = pick(['random', 'zero', 'equal', 'sparse', 'huge'] as const);
  let price = pick([1e-300, 1e-8, 0.003, 1, 250, 90_000, 1e9, 1e300]);
  let still = 0;
  const candles: Ohlcv[] = [];
  for (let i = 0; i < count; i++) {
    const open = price;
    if (stretches && still === 0 && random() < 0.1) still = 1 + Math.floor(random() * 40);
    const moves = !flat && still === 0;
    if (still > 0) still--;
    if (moves) {
      const gap = random() < 0.03 ? (random() < 0.5 ? 0.01 : 50) : 1;
      price = Math.min(1e300, Math.max(1e-300, price * gap * (1 + (random() - 0.5) * 0.05)));
    }
    const high = moves ? Math.min(Number.MAX_VALUE, Math.max(open, price) * (1 + random() * 0.01)) : price;
    const low = moves ? Math.min(open, price) * (1 - random() * 0.01) : price;
    const volume =
      volumes === 'zero'
        ? 0
        : volumes === 'equal'
          ? 0.1
          : volumes === 'sparse'
            ? random() < 0.2
              ? random() * 10
              : 0
            : volumes === 'huge'
              ? random() * 1e300
              : random() * 1e6;
    candles.push([i * 300_000, moves ? open : price, high, low, price, volume]);
  }
  return candles;
}

/** The properties every output must have, whatever the candles. */
function checkProperties(candles: Ohlcv[], label: string): IndicatorSeries {
  const out = indicatorSeries(candles);
  expect(Object.keys(out).sort(), label).toEqual([...NAMES].sort());
  for (const name of NAMES) {
    const values: Series = out[name];
    if (values.length !== candles.length)
      expect.fail(`${label} ${name}: ${values.length} values for ${candles.length}`);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) expect.fail(`${label} ${name}[${i}] = ${v}`);
      if (i < FIRST_VALUE[name]) expect.fail(`${label} ${name}[${i}] = ${v} before its warm-up`);
    }
  }
  // Ranges that hold by definition on valid candles (a little slack for rounding).
  for (let i = 0; i < candles.length; i++) {
    for (const name of ['rsi14', 'adx14', 'plusDi14', 'minusDi14'] as const) {
      const v = out[name][i];
      if (v !== null && v !== undefined && !(v >= 0 && v <= 100 + 1e-9))
        expect.fail(`${label} ${name}[${i}] = ${v}`);
    }
    const atr = out.atr14[i];
    if (atr !== null && atr !== undefined && atr < 0) expect.fail(`${label} atr14[${i}] = ${atr}`);
    const [upper, middle, lower] = [out.bbUpper[i], out.bbMiddle[i], out.bbLower[i]];
    if (upper != null && middle != null && lower != null && !(upper >= middle && middle >= lower))
      expect.fail(`${label} Bollinger[${i}]: ${upper} ${middle} ${lower}`);
  }
  return out;
}

describe('indicator properties on random series', () => {
  it('only numbers or null, never NaN or Infinity, aligned with the candles (1,000 hostile series)', () => {
    let candlesSeen = 0;
    for (let seed = 1; seed <= 1_000; seed++) {
      const candles = hostileCandles(seed);
      candlesSeen += candles.length;
      checkProperties(candles, `seed ${seed}`);
    }
    expect(candlesSeen).toBeGreaterThan(50_000);
  });

  it('on markets that move, every value from its warm-up on, with no holes (300 random walks)', () => {
    const random = lcg(99);
    for (let seed = 1; seed <= 300; seed++) {
      const count = Math.floor(random() * 160);
      const start = 10 ** (random() * 16 - 8);
      const candles = randomWalkCandles(count, seed, start);
      const out = checkProperties(candles, `walk ${seed}`);
      for (const name of NAMES)
        for (let i = FIRST_VALUE[name]; i < count; i++)
          if (out[name][i] === null)
            expect.fail(`walk ${seed} (${count} from ${start}) ${name}[${i}] is null`);
    }
  });

  it('0 to 5 candles: all null, of the right lengths', () => {
    for (let count = 0; count <= 5; count++) {
      const out = checkProperties(randomWalkCandles(count, count + 1), `${count} candles`);
      for (const name of NAMES) expect(out[name], name).toEqual(Array(count).fill(null));
    }
  });

  it('a flat market with no volume: defined where the definitions are, null where they divide 0 by 0', () => {
    const flat: Ohlcv[] = Array.from({ length: 98 }, (_, i) => [i * 300_000, 5, 5, 5, 5, 0]);
    const out = checkProperties(flat, 'flat');
    expect(out.ema50[97]).toBe(5);
    expect(out.macd[97]).toBe(0);
    expect(out.bbUpper[97]).toBe(5);
    expect(out.atr14[97]).toBe(0);
    for (const name of ['rsi14', 'adx14', 'plusDi14', 'minusDi14', 'volumeZ'] as const)
      expect(
        out[name].every((v) => v === null),
        name,
      ).toBe(true);
  });

  it('is pure: leaves its input alone and gives the same output for the same input', () => {
    const candles = randomWalkCandles(120, 8);
    const copy = structuredClone(candles);
    const frozen = Object.freeze(candles.map((c) => Object.freeze([...c]) as Ohlcv));
    const first = indicatorSeries(frozen);
    expect(indicatorSeries(frozen)).toEqual(first);
    expect(indicatorSeries(copy)).toEqual(first);
    expect(candles).toEqual(copy);
  });
});
