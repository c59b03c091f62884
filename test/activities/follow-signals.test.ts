import { describe, expect, it } from 'vitest';
import type { Ohlcv } from '../../src/core/candles.js';
import type { Timeframe } from '../../src/core/timeframes.js';
import type { CycleReport } from '../../src/contract/types.js';
import type { LedgerSignal } from '../../src/storage/ledger/ledger.js';
import { followOpenSignals } from '../../src/activities/follow-signals.js';

const STEP = 300_000;
const T0 = Date.UTC(2026, 11, 1, 10, 0);

/** A LONG at 100 made by the candle that opened at T0: stop 98, target 104. */
function open(id: number, symbol: string, timeframe: Timeframe = '5m'): LedgerSignal {
  return {
    id,
    symbol,
    direction: 'LONG',
    timeframe,
    candleTime: T0,
    entry: 100,
    stop: 98,
    target: 104,
    risk: 2,
    firstScore: 70,
    bestScore: 70,
    timeframes: ['1h', '15m', '5m'],
    reasons: [],
    firstCycleId: 'c0',
    lastCycleId: 'c0',
    firstSeenAt: T0 + STEP,
    lastSeenAt: T0 + STEP,
    timesSeen: 1,
    outcome: null,
  };
}

const cycle = (overrides: Partial<CycleReport> = {}) =>
  ({ timeframes: ['1h', '15m', '5m'], failures: [], wholeUniverse: true, ...overrides }) as CycleReport;

const candle = (i: number, high: number, low: number): Ohlcv => [T0 + i * STEP, 100, high, low, 100, 1];

/** BTC reaches its target on the second candle after the signal's; ETH's series stops at the signal's. */
const series: Record<string, Ohlcv[]> = {
  'BTC/USDT:USDT': [candle(0, 101, 99), candle(1, 102, 99), candle(2, 104.5, 99.5), candle(3, 101, 99)],
  'ETH/USDT:USDT': [candle(0, 101, 99)],
};
const followUp = {
  now: T0 + 4 * STEP + 1_000,
  expiryCandles: 48,
  candles: (symbol: string) => Promise.resolve(series[symbol]),
};

describe("a cycle's follow-up of the open signals", () => {
  it('resolves from the stored candles: a target reached, a series that stopped (delisted) as missing', async () => {
    const outcomes = await followOpenSignals(
      cycle(),
      [open(1, 'BTC/USDT:USDT'), open(2, 'ETH/USDT:USDT'), open(3, 'SOL/USDT:USDT')],
      followUp,
    );
    expect(outcomes.map((o) => [o.signalId, o.outcome.kind, o.outcome.at])).toEqual([
      [1, 'target', T0 + 3 * STEP],
      [2, 'missing', T0 + STEP],
      [3, 'missing', T0 + STEP],
    ]);
    expect(outcomes[0]!.outcome.rMultiple).toBe(2);
    expect(outcomes[2]!.outcome.reason).toMatch(/no candles at all/);
  });

  it('leaves open what this cycle did not refresh: a failed symbol, another timeframe, a cycle of chosen symbols', async () => {
    const signals = [open(1, 'BTC/USDT:USDT'), open(2, 'ETH/USDT:USDT', '1m')];
    expect(
      await followOpenSignals(
        cycle({ failures: [{ symbol: 'BTC/USDT:USDT', reason: 'x' }] }),
        signals,
        followUp,
      ),
    ).toEqual([]);
    expect(await followOpenSignals(cycle({ wholeUniverse: false }), signals, followUp)).toEqual([]);
    expect(await followOpenSignals(cycle({ wholeUniverse: undefined }), signals, followUp)).toEqual([]);
  });

  it('waits while the candles cannot exist yet', async () => {
    const early = { ...followUp, now: T0 + STEP + 1_000 };
    expect(
      await followOpenSignals(cycle(), [open(1, 'BTC/USDT:USDT'), open(2, 'SOL/USDT:USDT')], early),
    ).toEqual([]);
  });
});
