import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indicatorSeries, type IndicatorSeries, type Series } from '../../src/analysis/indicators.js';
import type { Ohlcv } from '../../src/core/candles.js';
import { refIndicatorSeries } from './reference-indicators.js';

// TA-Lib's own output on the simulator's candles, generated once by
// scripts/talib/dump-candles.ts and scripts/talib/reference.py (their headers
// say how to regenerate it), so that this test needs no Python.
interface Fixture {
  generator: string;
  talib: string;
  talibC: string;
  generated: string;
  functions: Record<string, string>;
  settings: { compatibility: number; unstablePeriod: Record<string, number> };
  series: Array<{
    id: string;
    symbol: string;
    timeframe: string;
    kind: 'leader' | 'tiny' | 'long';
    candles: Ohlcv[];
    talib: Record<Compared, Series>;
  }>;
}

/** Every indicator but the volume z-score, which TA-Lib has no counterpart of. */
type Compared = Exclude<keyof IndicatorSeries, 'volumeZ'>;
const COMPARED = [
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
] as const satisfies readonly Compared[];
/** These cross zero: held to 1e-6 of their series' largest |value| rather than of each value. */
const CROSSING = new Set<Compared>(['macd', 'macdSignal', 'macdHist']);
const LAST = 20;

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/talib/reference.json', import.meta.url), 'utf8'),
) as Fixture;

const firstValue = (xs: Series) => xs.findIndex((v) => v !== null);
const maxAbs = (xs: Series) => xs.reduce<number>((m, v) => (v === null ? m : Math.max(m, Math.abs(v))), 0);

/** The first difference from TA-Lib's series beyond 1e-6 relative, or where one is null and the other not. */
function mismatch(name: Compared, ours: Series, talib: Series, from: number): string | undefined {
  const floor = CROSSING.has(name) ? maxAbs(talib) : 0;
  for (let i = from; i < talib.length; i++) {
    const x = ours[i];
    const y = talib[i];
    if (y === null || y === undefined || x === null || x === undefined) {
      if (x !== y) return `${name}[${i}]: ${x} vs TA-Lib ${y}`;
      continue;
    }
    if (!(Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(y), floor)))
      return `${name}[${i}]: ${x} vs TA-Lib ${y}`;
  }
  return undefined;
}

describe('the TA-Lib fixture', () => {
  it('records its generator and TA-Lib version, and covers leaders and tiny prices on 1h, 15m and 5m', () => {
    expect(fixture.generator).toContain('scripts/talib/reference.py');
    expect(fixture.talib).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Object.keys(fixture.functions).sort()).toEqual([...COMPARED].sort());
    // TA-Lib's defaults: its own compatibility (not Metastock's), no unstable period.
    expect(fixture.settings.compatibility).toBe(0);
    for (const [name, period] of Object.entries(fixture.settings.unstablePeriod))
      expect(period, name).toBe(0);
    for (const timeframe of ['1h', '15m', '5m']) {
      for (const kind of ['leader', 'tiny'] as const) {
        const series = fixture.series.filter((s) => s.timeframe === timeframe && s.kind === kind);
        expect(series.length, `${kind} on ${timeframe}`).toBeGreaterThanOrEqual(2);
        // 99 requested, the forming candle dropped: what a scan analyses.
        for (const s of series) expect(s.candles, s.id).toHaveLength(98);
      }
    }
    for (const s of fixture.series.filter((x) => x.kind === 'tiny'))
      expect(s.candles.at(-1)![4], s.id).toBeLessThan(0.01);
    expect(fixture.series.some((s) => s.kind === 'long' && s.candles.length >= 300)).toBe(true);
  });
});

describe("indicators equal TA-Lib (1e-6 relative) on the simulator's candles", () => {
  for (const s of fixture.series) {
    it(`${s.id}: from TA-Lib's first index, nulls where it has none, every value to 1e-6 (last ${LAST} included)`, () => {
      const ours = indicatorSeries(s.candles);
      for (const name of COMPARED) {
        const talib = s.talib[name];
        expect(ours[name], name).toHaveLength(s.candles.length);
        expect(firstValue(ours[name]), `${name}: first index`).toBe(firstValue(talib));
        // The acceptance criterion (issue #13): the last 20 values, all defined on both sides.
        const tail = s.candles.length - LAST;
        expect(
          talib.slice(tail).every((v) => v !== null),
          `${name}: TA-Lib's last ${LAST}`,
        ).toBe(true);
        const late = mismatch(name, ours[name], talib, tail);
        if (late) expect.fail(`${s.id} ${late}`);
        // And every earlier value, from the first on.
        const early = mismatch(name, ours[name], talib, 0);
        if (early) expect.fail(`${s.id} ${early}`);
      }
    });
  }

  it('so do the reference implementations the random-series tests use (reference-indicators.ts)', () => {
    for (const s of fixture.series) {
      const ref = refIndicatorSeries(s.candles);
      for (const name of COMPARED) {
        const wrong = mismatch(name, ref[name], s.talib[name], 0);
        if (wrong) expect.fail(`${s.id} reference ${wrong}`);
      }
    }
  });
});
