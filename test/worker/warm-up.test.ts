import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PARAMS } from '../../src/analysis/params.js';
import type { Ohlcv } from '../../src/core/candles.js';
import { warmUp } from '../../src/worker/warm-up.js';
import { randomWalkCandles } from '../analysis/candle-fixtures.js';

describe("a new worker's warm-up", () => {
  it('analyses every symbol whose series the store holds, says which are fresh, reads the open signals, writes nothing', async () => {
    const held = new Map<string, Ohlcv[]>();
    for (const symbol of ['A/USDT:USDT', 'B/USDT:USDT'])
      for (const tf of ['1h', '5m']) held.set(`${symbol} ${tf}`, randomWalkCandles(98, symbol.length));
    // B's 5m series an hour old: analysed, but not fresh.
    const hourAgo = (candles: Ohlcv[]) => candles.map(([t, ...rest]): Ohlcv => [t - 3_600_000, ...rest]);
    held.set('B/USDT:USDT 5m', hourAgo(held.get('B/USDT:USDT 5m')!));
    held.set('C/USDT:USDT 1h', randomWalkCandles(98, 3)); // 5m missing: skipped
    const lastOpen = held.get('A/USDT:USDT 5m')!.at(-1)![0];
    let openSignalReads = 0;
    const warmed = await warmUp(
      {
        store: {
          get: (symbol, tf) => {
            const candles = held.get(`${symbol} ${tf}`);
            return Promise.resolve(candles ? { candles } : undefined);
          },
          degraded: false,
          l2Errors: 0,
        },
        ledger: {
          openSignals: () => {
            openSignalReads++;
            return Promise.resolve([]);
          },
          recordCycle: () => Promise.reject(new Error('a warm-up writes nothing')),
        },
        rules: DEFAULT_RULE_PARAMS,
      },
      ['A/USDT:USDT', 'B/USDT:USDT', 'C/USDT:USDT', 'D/USDT:USDT'],
      ['1h', '5m'],
      // Within A's last 5m candle's successor: A is fresh; 98 candles are what a 99-candle scan keeps.
      { now: lastOpen + 400_000, candleLimit: 99 },
    );
    expect(warmed.analysed).toEqual(['A/USDT:USDT', 'B/USDT:USDT']);
    expect(warmed.fresh).toEqual(['A/USDT:USDT']);
    expect(openSignalReads).toBe(1);
  });

  it('with an empty store, analyses made-up series instead, and reports no symbol', async () => {
    let reads = 0;
    const warmed = await warmUp(
      {
        store: { get: () => (reads++, Promise.resolve(undefined)), degraded: false, l2Errors: 0 },
        ledger: {
          openSignals: () => Promise.resolve([]),
          recordCycle: () => Promise.reject(new Error('a warm-up writes nothing')),
        },
        rules: DEFAULT_RULE_PARAMS,
      },
      ['A/USDT:USDT', 'B/USDT:USDT'],
      ['1h', '15m', '5m'],
      { now: Date.now(), candleLimit: 99 },
    );
    expect(reads).toBe(6);
    expect(warmed.analysed).toEqual([]);
    expect(warmed.fresh).toEqual([]);
  });
});
