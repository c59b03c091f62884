import { describe, expect, it } from 'vitest';
import { INTERVALS, nextOpenTime, openTimeOf } from '../../src/simulator/intervals.js';
import { MarketModel } from '../../src/simulator/market-model.js';
import { buildUniverse } from '../../src/simulator/universe.js';

const NOW = Date.UTC(2026, 10, 20, 13, 37, 21);

describe('simulated market', () => {
  const universe = buildUniverse('42', 530);
  const model = new MarketModel('42', universe);

  it('lists 530 USDT perpetuals, leaders first, plus contracts to filter out', () => {
    const perpetuals = universe.filter(
      (s) => s.quote === 'USDT' && s.contractType === 'PERPETUAL' && s.status === 'TRADING',
    );
    expect(perpetuals).toHaveLength(530);
    expect(universe.slice(0, 3).map((s) => s.id)).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
    expect(new Set(universe.map((s) => s.id)).size).toBe(universe.length);
    expect(universe.filter((s) => s.status === 'SETTLING')).toHaveLength(2);
    expect(universe.some((s) => s.contractType === 'CURRENT_QUARTER')).toBe(true);
    expect(universe.some((s) => s.quote === 'USDC')).toBe(true);
  });

  it('is deterministic from the seed, and a symbol does not depend on the universe size', () => {
    const again = new MarketModel('42', buildUniverse('42', 20));
    const other = new MarketModel('7', buildUniverse('7', 20));
    const a = model.klines('ETHUSDT', '15m', { limit: 50 }, NOW);
    expect(again.klines('ETHUSDT', '15m', { limit: 50 }, NOW)).toEqual(a);
    expect(other.klines('ETHUSDT', '15m', { limit: 50 }, NOW).map((c) => c.close)).not.toEqual(
      a.map((c) => c.close),
    );
  });

  it('never changes a closed candle as time goes on', () => {
    const before = model.klines('SOLUSDT', '5m', { limit: 30 }, NOW).filter((c) => c.closed);
    const later = new MarketModel('42', buildUniverse('42', 10));
    const after = later.klines(
      'SOLUSDT',
      '5m',
      { startTime: before[0]!.openTime, limit: 29 },
      NOW + 3 * 86_400_000,
    );
    expect(after.map(({ row: _r, ...c }) => c)).toEqual(before.map(({ row: _r, ...c }) => c));
  });

  it('lets a forming candle only widen: high never falls, low never rises', () => {
    const open = openTimeOf('1h', NOW);
    let previous = model.candle('BTCUSDT', '1h', open, open + 1_000)!;
    for (let t = open + 7_000; t < open + 3_600_000; t += 37_000) {
      const c = model.candle('BTCUSDT', '1h', open, t)!;
      expect(c.closed).toBe(false);
      expect(c.open).toBe(previous.open);
      expect(c.high).toBeGreaterThanOrEqual(previous.high);
      expect(c.low).toBeLessThanOrEqual(previous.low);
      expect(c.volumeSteps).toBeGreaterThanOrEqual(previous.volumeSteps);
      previous = c;
    }
    const closed = model.candle('BTCUSDT', '1h', open, open + 3_600_000)!;
    expect(closed.closed).toBe(true);
    expect(closed.high).toBeGreaterThanOrEqual(previous.high);
  });

  it('agrees across every interval: each candle aggregates the smaller ones inside it', () => {
    const pairs: Array<[(typeof INTERVALS)[number], (typeof INTERVALS)[number]]> = [
      ['5m', '1m'],
      ['15m', '5m'],
      ['1h', '15m'],
      ['4h', '1h'],
      ['1d', '4h'],
      ['1w', '1d'],
      ['1M', '1d'],
    ];
    for (const [big, small] of pairs) {
      const [candle] = model.klines('XRPUSDT', big, { limit: 2 }, NOW).filter((c) => c.closed);
      const parts = [];
      for (let t = candle!.openTime; t < nextOpenTime(big, candle!.openTime); t = nextOpenTime(small, t)) {
        parts.push(model.candle('XRPUSDT', small, t, NOW)!);
      }
      expect(parts[0]!.open, big).toBe(candle!.open);
      expect(parts.at(-1)!.close, big).toBe(candle!.close);
      expect(Math.max(...parts.map((p) => p.high)), big).toBe(candle!.high);
      expect(Math.min(...parts.map((p) => p.low)), big).toBe(candle!.low);
      expect(
        parts.reduce((sum, p) => sum + p.volumeSteps, 0),
        big,
      ).toBe(candle!.volumeSteps);
    }
  });

  it('has regimes: trends both ways, quiet and wild symbols, volume spikes', () => {
    const moves = universe.slice(0, 530).map((s) => {
      const candles = model.klines(s.id, '1h', { limit: 99 }, NOW);
      const change = candles.at(-1)!.close / candles[0]!.open - 1;
      const ranges = candles.map((c) => (c.high - c.low) / c.open);
      const volumes = candles.map((c) => c.volumeSteps);
      const meanVolume = volumes.reduce((a, b) => a + b, 0) / volumes.length;
      return {
        change,
        range: Math.max(...ranges) / Math.min(...ranges),
        spike: Math.max(...volumes) / meanVolume,
      };
    });
    expect(moves.filter((m) => m.change > 0.05).length).toBeGreaterThan(30);
    expect(moves.filter((m) => m.change < -0.05).length).toBeGreaterThan(30);
    expect(moves.filter((m) => Math.abs(m.change) < 0.02).length).toBeGreaterThan(30);
    expect(moves.filter((m) => m.range > 4).length).toBeGreaterThan(100);
    expect(moves.filter((m) => m.spike > 2.5).length).toBeGreaterThan(30);
  });
});
