import { describe, expect, it } from 'vitest';
import { MalformedCandlesError } from '../../src/core/errors.js';
import { validateCandles } from '../../src/core/candles.js';
import { timeframeMs } from '../../src/core/timeframes.js';
import { SUPPORTED_TIMEFRAMES, type Timeframe } from '../../src/core/timeframes.js';
import { lcg } from '../analysis/candle-fixtures.js';

/**
 * Random bodies thrown at the candle validation: each is either accepted as
 * a series that keeps every invariant the analysis relies on, or refused
 * with a MalformedCandlesError; nothing else ever comes out.
 */
describe('candle validation under random input', () => {
  const random = lcg(20261124);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const oddValue = (): unknown =>
    pick([
      null,
      undefined,
      NaN,
      Infinity,
      -Infinity,
      -1,
      0,
      '1.5',
      '',
      'NaN?',
      [],
      {},
      true,
      2 ** 53,
      -0,
      1e-300,
    ]);

  /** A valid series, then (usually) broken in one of many ways. */
  function body(timeframe: Timeframe): unknown {
    const step = timeframeMs(timeframe);
    const n = Math.floor(random() * 12);
    const start = Math.floor(1_700_000_000_000 / step) * step;
    const rows: unknown[][] = [];
    let price = 0.001 + random() * 1000;
    for (let i = 0; i < n; i++) {
      const open = price;
      price *= 0.9 + random() * 0.2;
      const close = price;
      rows.push([
        start + i * step,
        open,
        Math.max(open, close) * 1.01,
        Math.min(open, close) * 0.99,
        close,
        random() * 1e6,
      ]);
    }
    switch (Math.floor(random() * 12)) {
      case 0:
        return pick([null, undefined, 42, 'klines', {}, true]);
      case 1:
        if (rows.length) rows[Math.floor(random() * rows.length)]![Math.floor(random() * 6)] = oddValue();
        return rows;
      case 2:
        if (rows.length > 1) rows.splice(Math.floor(random() * rows.length), 1);
        return rows;
      case 3:
        if (rows.length) rows.push([...rows[Math.floor(random() * rows.length)]!]);
        return rows;
      case 4:
        return rows.reverse();
      case 5:
        if (rows.length)
          rows[Math.floor(random() * rows.length)] = rows[0]!.slice(0, Math.floor(random() * 6));
        return rows;
      case 6:
        if (rows.length)
          rows[Math.floor(random() * rows.length)]![0] =
            (rows[0]![0] as number) + Math.floor(random() * step);
        return rows;
      case 7:
        if (rows.length) rows[Math.floor(random() * rows.length)]![2] = 0.5 * (rows[0]![3] as number);
        return rows;
      case 8:
        return rows.map((row) => row.map((v) => (random() < 0.05 ? oddValue() : v)));
      case 9:
        // Extra trailing fields are allowed (Binance sends 12); the first six are the candle.
        return rows.map((row) => [...row, 'extra', 7]);
      default:
        return rows;
    }
  }

  it('accepts only series that keep every invariant, and refuses the rest with MalformedCandlesError', () => {
    let accepted = 0;
    let refused = 0;
    for (let round = 0; round < 5000; round++) {
      const timeframe = pick(SUPPORTED_TIMEFRAMES);
      const input = body(timeframe);
      let candles;
      try {
        candles = validateCandles('FUZZ/USDT:USDT', timeframe, input);
      } catch (error) {
        expect(error, JSON.stringify(input)).toBeInstanceOf(MalformedCandlesError);
        expect((error as Error).message).toMatch(/^FUZZ\/USDT:USDT \w+: \S/);
        refused++;
        continue;
      }
      accepted++;
      const step = timeframeMs(timeframe);
      candles.forEach(([t, o, h, l, c, v], i) => {
        for (const x of [t, o, h, l, c, v]) expect(Number.isFinite(x)).toBe(true);
        expect(t % step).toBe(0);
        if (i > 0) expect(t - candles[i - 1]![0]).toBe(step);
        expect(Math.min(o, h, l, c)).toBeGreaterThan(0);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(h).toBeGreaterThanOrEqual(Math.max(o, c));
        expect(l).toBeLessThanOrEqual(Math.min(o, c));
      });
    }
    // Both outcomes were exercised, many times.
    expect(accepted).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  });
});
