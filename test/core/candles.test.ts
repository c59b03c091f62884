import { describe, expect, it } from 'vitest';
import { MalformedCandlesError } from '../../src/core/errors.js';
import { validateCandles, type Ohlcv } from '../../src/core/candles.js';
import { sequence } from '../../src/simulator/rng.js';

const H = 3_600_000;
const good: Ohlcv[] = [0, 1, 2, 3].map((i) => [
  1_700_000_000_000 - (1_700_000_000_000 % H) + i * H,
  100,
  102,
  99,
  101,
  10,
]);

describe('candle validation at the boundary', () => {
  it('accepts a well-formed series', () => {
    expect(validateCandles('BTC', '1h', good)).toEqual(good);
    expect(validateCandles('BTC', '1h', [])).toEqual([]);
  });

  it.each([
    ['a truncated body', 'garbage', /not a list/],
    ['a null row', [good[0], null], /candle 1 is not/],
    ['a non-numeric field', [good[0], [good[1]![0], 100, 102, 99, null, 10]], /non-numeric/],
    ['NaN', [good[0], [good[1]![0], 100, NaN, 99, 101, 10]], /non-numeric/],
    ['a duplicate', [good[0], good[0]], /duplicate candle/],
    ['out of order', [good[1], good[0]], /out of order/],
    ['a gap', [good[0], good[2]], /gap of 1 candles/],
    ['a misaligned time', [[good[0]![0] + 1, 100, 102, 99, 101, 10]], /boundary/],
    ['high below close', [[good[0]![0], 100, 100.5, 99, 101, 10]], /high\/low/],
    ['a zero price', [[good[0]![0], 0, 102, 0, 101, 10]], /non-positive/],
    ['negative volume', [[good[0]![0], 100, 102, 99, 101, -1]], /negative volume/],
  ])('rejects %s with MalformedCandlesError', (_name, rows, message) => {
    expect(() => validateCandles('BTC/USDT:USDT', '1h', rows)).toThrow(MalformedCandlesError);
    expect(() => validateCandles('BTC/USDT:USDT', '1h', rows)).toThrow(message);
  });

  it('never lets random junk through as a valid series, nor crashes on it', () => {
    const random = sequence(7);
    const junk = (): unknown => {
      const r = random();
      if (r < 0.2) return random() * 1e6;
      if (r < 0.3) return null;
      if (r < 0.4) return 'x';
      if (r < 0.5) return [];
      return Math.floor(random() * 1e12);
    };
    for (let i = 0; i < 2000; i++) {
      const rows = Array.from({ length: 1 + Math.floor(random() * 5) }, () =>
        Array.from({ length: Math.floor(random() * 8) }, junk),
      );
      try {
        const candles = validateCandles('X', '1h', rows);
        for (const [t, o, h, l, c, v] of candles) {
          expect(t % H).toBe(0);
          expect(h).toBeGreaterThanOrEqual(Math.max(o, c));
          expect(l).toBeLessThanOrEqual(Math.min(o, c));
          expect(v).toBeGreaterThanOrEqual(0);
        }
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedCandlesError);
      }
    }
  });
});
