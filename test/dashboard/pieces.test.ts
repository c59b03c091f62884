import { describe, expect, it } from 'vitest';
import type { PerformanceRow } from '../../src/analysis/performance.js';
import { AnswerCache } from '../../src/dashboard/answer-cache.js';
import { EQUITY_POINTS, equityCurve } from '../../src/dashboard/routes.js';
import { metricValue } from '../../src/dashboard/sources.js';

const row = (outcomeAt: number | null, rMultiple: number | null): PerformanceRow => ({
  direction: 'LONG',
  score: 60,
  agreement: 3,
  firstSeenAt: 0,
  openedAt: 0,
  outcome: rMultiple === null ? null : rMultiple > 0 ? 'target' : 'stop',
  outcomeAt,
  rMultiple,
});

describe('the dashboard’s small pieces', () => {
  it('reads a metric from Prometheus text: plain, labelled, absent', () => {
    const text = [
      '# HELP scanner_stream_connections Live stream connections',
      '# TYPE scanner_stream_connections gauge',
      'scanner_stream_connections 8',
      'scanner_stream_subscriptions_total 3',
      'scanner_exchange_used_weight{exchange="sim"} 412',
    ].join('\n');
    expect(metricValue(text, 'scanner_stream_connections')).toBe(8);
    expect(metricValue(text, 'scanner_exchange_used_weight')).toBe(412);
    expect(metricValue(text, 'scanner_stream_subscriptions')).toBeNull();
    expect(metricValue('scanner_x NaN', 'scanner_x')).toBeNull();
  });

  it('the cumulative R: by outcome time, open signals left out, thinned to its cap ending at the total', () => {
    expect(equityCurve([row(3, -1), row(1, 2), row(null, null), row(2, 0.5)])).toEqual([
      { time: 1, cumulativeR: 2 },
      { time: 2, cumulativeR: 2.5 },
      { time: 3, cumulativeR: 1.5 },
    ]);
    const many = Array.from({ length: 86_400 }, (_, i) => row(i, i % 3 === 0 ? -1 : 1));
    const curve = equityCurve(many);
    expect(curve).toHaveLength(EQUITY_POINTS);
    expect(curve.at(-1)).toEqual({ time: 86_399, cumulativeR: 28_800 });
    expect(curve.every((p, i) => i === 0 || p.time > curve[i - 1]!.time)).toBe(true);
  });

  it('keeps an answer until cleared; a failed one is computed again', async () => {
    const cache = new AnswerCache(2);
    let runs = 0;
    const answer = () => cache.get('a', () => Promise.resolve(++runs));
    expect([await answer(), await answer()]).toEqual([1, 1]);
    cache.clear();
    expect(await answer()).toBe(2);
    await expect(cache.get('b', () => Promise.reject(new Error('ledger away')))).rejects.toThrow();
    expect(await cache.get('b', () => Promise.resolve('back'))).toBe('back');
  });
});
