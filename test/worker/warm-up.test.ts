import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PARAMS } from '../../src/analysis/params.js';
import type { Ohlcv } from '../../src/core/candles.js';
import { warmUp } from '../../src/worker/warm-up.js';
import { randomWalkCandles } from '../analysis/candle-fixtures.js';

describe("a new worker's warm-up", () => {
  it('analyses every symbol whose series the store holds, reads the open signals, writes nothing', async () => {
    const held = new Map<string, Ohlcv[]>();
    for (const symbol of ['A/USDT:USDT', 'B/USDT:USDT'])
      for (const tf of ['1h', '5m']) held.set(`${symbol} ${tf}`, randomWalkCandles(98, symbol.length));
    held.set('C/USDT:USDT 1h', randomWalkCandles(98, 3)); // 5m missing: skipped
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
    );
    expect(warmed.analysed).toEqual(['A/USDT:USDT', 'B/USDT:USDT']);
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
    );
    expect(reads).toBe(6);
    expect(warmed.analysed).toEqual([]);
  });
});
