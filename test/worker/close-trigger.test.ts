import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CloseTrigger, type CloseTriggerOptions } from '../../src/worker/close-trigger.js';
import type { FinalKline } from '../../src/market-data/stream-feed.js';

const MINUTE = 60_000;
const CLOSE = Date.UTC(2026, 11, 1, 14, 5);
const OPEN_5M = CLOSE - 5 * MINUTE;

function final(symbol: string, overrides: Partial<FinalKline> = {}): FinalKline {
  return { symbol, timeframe: '5m', openTime: OPEN_5M, eventTime: CLOSE + 2_000, ...overrides };
}

describe('the close trigger', () => {
  let starts: Array<{ closeTime: number; why: string }>;
  let errors: number[];
  const trigger = (overrides: Partial<CloseTriggerOptions> = {}) =>
    new CloseTrigger({
      timeframe: '5m',
      share: 0.5,
      waitMs: 2_000,
      expected: () => 4,
      start: (closeTime, why) => {
        starts.push({ closeTime, why });
        return Promise.resolve();
      },
      onError: (closeTime) => errors.push(closeTime),
      ...overrides,
    });

  beforeEach(() => {
    vi.useFakeTimers();
    starts = [];
    errors = [];
  });
  afterEach(() => vi.useRealTimers());

  it('starts the close once the share of the universe has its final kline', () => {
    const t = trigger();
    t.onFinal(final('BTC/USDT:USDT'));
    expect(starts).toEqual([]);
    t.onFinal(final('ETH/USDT:USDT'));
    expect(starts).toEqual([{ closeTime: CLOSE, why: 'share' }]);
    // The rest of that close changes nothing.
    t.onFinal(final('SOL/USDT:USDT'));
    t.onFinal(final('XRP/USDT:USDT'));
    vi.advanceTimersByTime(10_000);
    expect(starts).toHaveLength(1);
  });

  it('starts anyway once the wait after the first final kline is over', () => {
    const t = trigger();
    t.onFinal(final('BTC/USDT:USDT'));
    vi.advanceTimersByTime(1_999);
    expect(starts).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(starts).toEqual([{ closeTime: CLOSE, why: 'wait' }]);
  });

  it('counts a symbol once, whatever it sends twice', () => {
    const t = trigger();
    t.onFinal(final('BTC/USDT:USDT'));
    t.onFinal(final('BTC/USDT:USDT'));
    expect(starts).toEqual([]);
  });

  it('keeps each close apart, and ignores other timeframes', () => {
    const t = trigger({ share: 1, expected: () => 1 });
    t.onFinal(final('BTC/USDT:USDT', { timeframe: '15m', openTime: CLOSE - 15 * MINUTE }));
    expect(starts).toEqual([]);
    t.onFinal(final('BTC/USDT:USDT'));
    t.onFinal(final('BTC/USDT:USDT', { openTime: CLOSE, eventTime: CLOSE + 5 * MINUTE + 2_000 }));
    expect(starts.map((s) => s.closeTime)).toEqual([CLOSE, CLOSE + 5 * MINUTE]);
  });

  it('ignores final klines sent long after their close (a catch-up, not a close happening now)', () => {
    const t = trigger({ share: 1, expected: () => 1 });
    t.onFinal(final('BTC/USDT:USDT', { eventTime: CLOSE + 31_000 }));
    vi.advanceTimersByTime(10_000);
    expect(starts).toEqual([]);
  });

  it('reports a start that failed, once, and does not retry it (the Schedule is the safety net)', async () => {
    const t = trigger({
      share: 1,
      expected: () => 1,
      start: () => Promise.reject(new Error('Temporal unreachable')),
    });
    t.onFinal(final('BTC/USDT:USDT'));
    await vi.runAllTimersAsync();
    t.onFinal(final('ETH/USDT:USDT'));
    await vi.runAllTimersAsync();
    expect(errors).toEqual([CLOSE]);
  });

  it('starts nothing once stopped', () => {
    const t = trigger();
    t.onFinal(final('BTC/USDT:USDT'));
    t.stop();
    vi.advanceTimersByTime(10_000);
    t.onFinal(final('ETH/USDT:USDT'));
    expect(starts).toEqual([]);
  });
});
