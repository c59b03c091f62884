import { ADX, ATR, EMA, MACD, WSMA } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import {
  atrSeries,
  bollingerSeries,
  directionalSeries,
  emaSeries,
  indicatorSeries,
  rsiSeries,
  volumeZSeries,
  type IndicatorSeries,
  type Series,
} from '../../src/analysis/indicators.js';
import type { Ohlcv } from '../../src/core/candles.js';
import { randomWalkCandles } from './candle-fixtures.js';
import { FIRST_VALUE, refIndicatorSeries } from './reference-indicators.js';

const NAMES = [
  'ema9',
  'ema21',
  'ema50',
  'rsi14',
  'macd',
  'macdSignal',
  'macdHist',
  'atr14',
  'adx14',
  'plusDi14',
  'minusDi14',
  'bbUpper',
  'bbMiddle',
  'bbLower',
  'volumeZ',
] as const satisfies ReadonlyArray<keyof IndicatorSeries>;

/** Candles whose open, high, low and close are all `close` (for indicators of the close alone). */
const fromCloses = (closes: number[], volume = 1): Ohlcv[] =>
  closes.map((c, i) => [i * 60_000, c, c, c, c, volume]);

const maxAbs = (xs: Series) => xs.reduce<number>((m, v) => (v === null ? m : Math.max(m, Math.abs(v))), 0);

describe("indicators match implementations written from their definitions, with TA-Lib's conventions", () => {
  for (const [count, seed, start] of [
    [300, 1, 100],
    [98, 2, 0.0042], // a low-priced coin, the scan's candle count
    [500, 3, 65_000],
    [1_000, 4, 1.7],
  ] as const) {
    it(`${count} candles from ${start} (seed ${seed}): all 15 to 1e-6 relative, nulls exactly during warm-up`, () => {
      const candles = randomWalkCandles(count, seed, start);
      const ours = indicatorSeries(candles);
      const theirs = refIndicatorSeries(candles);
      for (const name of NAMES) {
        const a = ours[name];
        const b = theirs[name];
        expect(a, name).toHaveLength(count);
        // Values that cross zero (MACD, histogram, z) are held to 1e-6 of their series' scale.
        const floor = 1e-3 * maxAbs(b);
        for (let i = 0; i < count; i++) {
          if (i < FIRST_VALUE[name]) {
            if (a[i] !== null || b[i] !== null)
              expect.fail(`${name}[${i}] before warm-up: ${a[i]} / ${b[i]}`);
            continue;
          }
          const x = a[i];
          const y = b[i];
          if (x === null || x === undefined || y === null || y === undefined)
            expect.fail(`${name}[${i}] after warm-up: ${x} vs reference ${y}`);
          if (Math.abs(x - y) > 1e-6 * Math.max(Math.abs(y), floor))
            expect.fail(`${name}[${i}]: ${x} vs reference ${y}`);
        }
      }
    });
  }

  it('the single-indicator exports used by the rules give the same series', () => {
    const candles = randomWalkCandles(200, 5, 3);
    const all = indicatorSeries(candles);
    expect(emaSeries(candles, 9)).toEqual(all.ema9);
    expect(emaSeries(candles, 21)).toEqual(all.ema21);
    expect(emaSeries(candles, 50)).toEqual(all.ema50);
    expect(rsiSeries(candles, 14)).toEqual(all.rsi14);
    expect(atrSeries(candles, 14)).toEqual(all.atr14);
  });
});

describe('indicators on published and hand-worked examples', () => {
  it("RSI 14: StockCharts' worked example of Wilder's RSI, all 19 values to the published two decimals (as TA-Lib's)", () => {
    // StockCharts ChartSchool, "Relative Strength Index (RSI)", table cs-rsi.xls (closes to 4 places).
    const closes = [
      44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931,
      46.0328, 45.614, 46.282, 46.282, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521, 45.7137,
      46.4515, 45.7835, 45.3548, 44.0288, 44.1783, 44.2181, 44.5672, 43.4205, 42.6628, 43.1314,
    ];
    const published = [
      70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87,
      45.46, 37.3, 33.08, 37.77,
    ];
    const rsi = indicatorSeries(fromCloses(closes)).rsi14;
    expect(rsi.slice(0, 14)).toEqual(Array(14).fill(null));
    rsi
      .slice(14)
      .forEach((value, i) => expect(Math.abs(value! - published[i]!), `RSI[${14 + i}]`).toBeLessThan(0.005));
    // The first value by hand, from the sums of the first 14 gains and losses.
    let gains = 0;
    let losses = 0;
    for (let t = 1; t <= 14; t++) {
      const change = closes[t]! - closes[t - 1]!;
      if (change > 0) gains += change;
      else losses -= change;
    }
    expect(rsi[14]).toBeCloseTo(100 - 100 / (1 + gains / losses), 10);
  });

  it("EMA 10: StockCharts' worked example, SMA-seeded as TA-Lib's (22.221 exactly), then within its rounded table", () => {
    // StockCharts ChartSchool, "Moving Averages": its table rounds every step to 2 places, hence 0.01.
    const closes = [
      22.27, 22.19, 22.08, 22.17, 22.18, 22.13, 22.23, 22.43, 22.24, 22.29, 22.15, 22.39, 22.38, 22.61, 23.36,
      24.05, 23.75, 23.83, 23.95, 23.63, 23.82, 23.87, 23.65, 23.19, 23.1, 23.33, 22.68, 23.1, 22.4, 22.17,
    ];
    const published = [
      22.22, 22.21, 22.24, 22.27, 22.33, 22.52, 22.8, 22.97, 23.13, 23.28, 23.34, 23.43, 23.51, 23.54, 23.47,
      23.4, 23.39, 23.26, 23.23, 23.08, 22.92,
    ];
    const ema = emaSeries(fromCloses(closes), 10);
    expect(ema.slice(0, 9)).toEqual(Array(9).fill(null));
    expect(ema[9]).toBeCloseTo(22.221, 12); // 222.21 / 10
    expect(ema[10]).toBeCloseTo(22.221 + (22.15 - 22.221) * (2 / 11), 12);
    ema
      .slice(9)
      .forEach((value, i) => expect(Math.abs(value! - published[i]!), `EMA[${9 + i}]`).toBeLessThan(0.0101));
  });

  // Six candles worked by hand (high, low, close):
  //   t  H   L   C   +DM −DM TR
  //   0  10  8   9    –   –   – (no previous close: TA-Lib gives it no true range)
  //   1  12  9   11   2   0   3
  //   2  13  11  12   1   0   2
  //   3  14  10  13   0   0   4   (up 1 = down 1: neither)
  //   4  13  9   10   0   1   4
  //   5  12  7   8    0   2   5
  const handWorked: Ohlcv[] = [
    [0, 9, 10, 8, 9, 1],
    [1, 9, 12, 9, 11, 1],
    [2, 11, 13, 11, 12, 1],
    [3, 12, 14, 10, 13, 1],
    [4, 13, 13, 9, 10, 1],
    [5, 10, 12, 7, 8, 1],
  ];

  it("ATR 3 by hand, TA-Lib's (candle 0 has no true range): (3 + 2 + 4) / 3 at candle 3, then (ATR · 2 + TR) / 3", () => {
    const atr = atrSeries(handWorked, 3);
    const expected = [null, null, null, 3, 10 / 3, 35 / 9]; // TA-Lib's ATR(3) on these candles
    atr.forEach((v, i) =>
      expected[i] === null ? expect(v).toBeNull() : expect(v).toBeCloseTo(expected[i]!, 12),
    );
  });

  it("±DI and ADX 2 by hand, TA-Lib's seed, and DX = 0 when there is no directional move", () => {
    // TA-Lib's running sums: the first period − 1 = 1 move (t1: +DM 2, −DM 0, TR 3), then S − S/2 + x:
    // t2: +DM 2 − 1 + 1 = 2, TR 3 − 1.5 + 2 = 3.5 → +DI 400/7, −DI 0, DX 100;
    // t3: +DM 1, TR 5.75 → +DI 400/23, DX 100, ADX = mean(100, 100);
    // t4: +DM .5, −DM 1, TR 6.875 → 80/11, 160/11, DX 100/3, ADX (100 + 100/3) / 2 = 200/3;
    // t5: +DM .25, −DM 2.5, TR 8.4375 → 80/27, 800/27, DX 900/11, ADX (200/3 + 900/11) / 2.
    // (TA-Lib's PLUS_DI, MINUS_DI and ADX give these; Wilder's own seed, the sums of moves 1…2, gives
    // +DI 60 at t2.)
    const { plusDi, minusDi, adx } = directionalSeries(handWorked, 2);
    const expect6 = (got: Series, want: Array<number | null>) =>
      got.forEach((v, i) => (want[i] === null ? expect(v).toBeNull() : expect(v).toBeCloseTo(want[i]!, 10)));
    expect6(plusDi, [null, null, 400 / 7, 400 / 23, 80 / 11, 80 / 27]);
    expect6(minusDi, [null, null, 0, 0, 160 / 11, 800 / 27]);
    expect6(adx, [null, null, null, 100, 200 / 3, (200 / 3 + 900 / 11) / 2]);
    // Inside bars only (ranges but no directional move): DI 0, DX 0, so ADX 0 rather than nothing.
    const inside: Ohlcv[] = Array.from({ length: 10 }, (_, i) => [i, 10, 11, 9, i % 2 ? 10.5 : 9.5, 1]);
    expect(directionalSeries(inside, 2).adx.slice(3)).toEqual(Array(7).fill(0));
  });

  it('Bollinger Bands use the population deviation (Bollinger), not the sample one', () => {
    const { upper, middle, lower } = bollingerSeries(fromCloses([1, 2, 3, 4]), 3, 2);
    expect(middle).toEqual([null, null, 2, 3]);
    expect(upper[2]).toBeCloseTo(2 + 2 * Math.sqrt(2 / 3), 12); // the sample deviation would give 4
    expect(lower[3]).toBeCloseTo(3 - 2 * Math.sqrt(2 / 3), 12);
  });

  it('volume z is measured against the candles before it, and null after equal volumes', () => {
    const candles = [1, 2, 3, 10, 0.1, 0.1, 0.1, 0.2].map((v, i): Ohlcv => [i, 5, 5, 5, 5, v]);
    const z = volumeZSeries(candles, 3);
    expect(z.slice(0, 3)).toEqual([null, null, null]);
    expect(z[3]).toBeCloseTo((10 - 2) / Math.sqrt(2 / 3), 12);
    // 0.1, 0.1, 0.1 leave a rounding deviation of ~1e-17: no scale, so null, not a z of 1e15.
    expect(z[7]).toBeNull();
  });
});

describe("trading-signals' own conventions (why EMA, MACD, ATR and the DMI are computed in src/analysis/indicators.ts)", () => {
  it('its EMA is seeded by the first price, not by the SMA', () => {
    const ema = new EMA(3);
    expect([10, 11, 12, 13].map((x) => ema.update(x, false))).toEqual([10, 10.5, 11.25, 12.125]);
    expect(emaSeries(fromCloses([10, 11, 12, 13]), 3)).toEqual([null, null, 11, 12]); // SMA seed 11
  });

  it('its MACD seeds its signal with the first MACD value', () => {
    const macd = new MACD(new EMA(12), new EMA(26), new EMA(9));
    const closes = randomWalkCandles(40, 6).map((c) => c[4]);
    const results = closes.map((x) => macd.update(x, false));
    expect(results.findIndex((r) => r !== null)).toBe(25);
    expect(results[25]!.signal).toBe(results[25]!.macd);
  });

  it("its ATR takes the first candle's high − low as a true range and starts a candle before TA-Lib's", () => {
    const candles = randomWalkCandles(30, 8);
    const atr = new ATR(14, WSMA);
    const values = candles.map(([, , high, low, close]) => atr.update({ high, low, close }, false));
    expect(values.findIndex((v) => v !== null)).toBe(13); // TA-Lib's first ATR(14) is at 14
    const ranges = candles.slice(0, 14).map(([, , high, low], t) => {
      const previous = t === 0 ? undefined : candles[t - 1]![4];
      return previous === undefined
        ? high - low
        : Math.max(high - low, Math.abs(high - previous), Math.abs(low - previous));
    });
    expect(values[13]).toBeCloseTo(ranges.reduce((a, b) => a + b, 0) / 14, 10);
    expect(atrSeries(candles, 14)[13]).toBeNull();
  });

  it('its ADX starts a candle early (a zero move for the first candle) and gives DI as a fraction', () => {
    const candles = randomWalkCandles(60, 7);
    const adx = new ADX(14);
    const values = candles.map(([, , high, low, close]) => adx.update({ high, low, close }, false));
    expect(values.findIndex((v) => v !== null)).toBe(26); // TA-Lib's (and Wilder's) first ADX(14) is at 27
    expect(adx.pdi).toBeLessThan(1);
    expect(directionalSeries(candles, 14).plusDi[59]).toBeGreaterThan(1);
  });
});

describe('warm-up within a limit-99 request (98 closed candles)', () => {
  it('every indicator has its first value by candle 49 and a value on the last candle', () => {
    expect(Math.max(...Object.values(FIRST_VALUE))).toBe(49); // EMA50
    for (let seed = 1; seed <= 20; seed++) {
      const last = indicatorSeries(randomWalkCandles(98, seed));
      for (const name of NAMES) expect(last[name][97], `${name}, seed ${seed}`).not.toBeNull();
    }
  });

  it('converge, except EMA50, MACD and ADX, which still carry some of their seed (docs/indicator-library.md)', () => {
    // The same market through its last 98 candles and through 1,000 (converged for all of these):
    // the gap on the last candle, over 100 markets. EMA, MACD and Bollinger in units of the price;
    // ATR relative to itself; RSI, ±DI and ADX in points of their 0–100 scale; z in units of z.
    const gaps: Record<keyof IndicatorSeries, number[]> = Object.fromEntries(
      NAMES.map((n) => [n, []]),
    ) as never;
    for (let seed = 1; seed <= 100; seed++) {
      const long = randomWalkCandles(1_000, seed);
      const short = long.slice(-98);
      const a = indicatorSeries(short);
      const b = indicatorSeries(long);
      const price = long[999]![4];
      for (const name of NAMES) {
        const gap = Math.abs(a[name][97]! - b[name][999]!);
        const unit = /^(ema|macd|bb)/.test(name) ? price : name === 'atr14' ? b.atr14[999]! : 1;
        gaps[name].push(gap / unit);
      }
    }
    const summary = Object.fromEntries(
      NAMES.map((name) => {
        const sorted = [...gaps[name]].sort((x, y) => x - y);
        return [
          name,
          { median: Number(sorted[49]!.toPrecision(2)), max: Number(sorted[99]!.toPrecision(2)) },
        ];
      }),
    ) as Record<keyof IndicatorSeries, { median: number; max: number }>;
    console.log(
      `gap at 98 candles vs 1,000 (median, max of 100 markets):\n${JSON.stringify(summary, null, 1)}`,
    );
    // Exact once their window is full.
    for (const name of ['bbUpper', 'bbMiddle', 'bbLower', 'volumeZ'] as const)
      expect(summary[name].max, name).toBeLessThan(1e-9);
    // Seed weight left at candle 97: EMA9 0.8^89 ≈ 2e-9, EMA21 (10/11)^77 ≈ 6e-4, RSI and ATR (13/14)^83 ≈ 2e-3
    // (both first at 14).
    expect(summary.ema9.max).toBeLessThan(1e-9);
    expect(summary.ema21.max).toBeLessThan(2e-5);
    expect(summary.rsi14.max).toBeLessThan(0.1); // RSI points
    expect(summary.atr14.max).toBeLessThan(2e-3);
    // EMA50: its SMA seed still weighs (49/51)^48 ≈ 15%; MACD: EMA26's seed (25/27)^72 ≈ 0.4%.
    expect(summary.ema50.max).toBeLessThan(5e-3);
    expect(summary.macd.max).toBeLessThan(2e-4);
    // ADX: two smoothings in a row (DI from candle 14, ADX from 27: (13/14)^70 ≈ 0.6% on its seed).
    expect(summary.adx14.max).toBeLessThan(1); // ADX points
    expect(summary.plusDi14.max).toBeLessThan(0.2);
  });
});
