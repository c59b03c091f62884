/**
 * Reports and signals for the ledger's tests and its write-cost measurement:
 * whole CycleReports, shaped as the workflow builds them.
 */
import type { MissingOutcome, ReachedOutcome } from '../../src/analysis/outcomes.js';
import type { Direction, Signal } from '../../src/analysis/signal.js';
import type { CycleReport } from '../../src/contract/types.js';

export const STEP = 300_000;
/** A Monday, 10:00 UTC: cycles of the tests start here, 5 minutes apart. */
export const T0 = Date.UTC(2026, 0, 5, 10, 0);

export function signal(
  symbol: string,
  direction: Direction = 'LONG',
  score = 60,
  { price = 100, candleTime = T0 - STEP }: { price?: number; candleTime?: number } = {},
): Signal {
  const sign = direction === 'LONG' ? 1 : -1;
  return {
    symbol,
    direction,
    score,
    reasons: [`1h trend ${sign > 0 ? 'up' : 'down'}`, '15m RSI14 61.2', '5m close breaks the 12-candle high'],
    price,
    stop: price - sign * 0.015 * price,
    target: price + sign * 0.03 * price,
    timeframes: ['1h', '15m', '5m'],
    candleTime,
  };
}

export function report(
  cycleId: string,
  startedAt: number,
  signals: Signal[],
  extra: Partial<CycleReport> = {},
): CycleReport {
  return {
    cycleId,
    trigger: 'schedule',
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(startedAt + 4_321).toISOString(),
    durationMs: 4_321,
    timeframes: ['1h', '15m', '5m'],
    candleLimit: 300,
    batchSize: 64,
    batches: 9,
    symbolsRequested: 530,
    symbolsScanned: 527,
    failures: [
      { symbol: 'OLD/USDT:USDT', reason: 'UnknownSymbolError: delisted' },
      {
        symbol: 'GAP/USDT:USDT',
        reason: 'MalformedCandlesError: GAP/USDT:USDT 5m: gap of 2 candles before 1767607200000',
      },
      { symbol: 'SLOW/USDT:USDT', reason: 'TemporaryExchangeError: timeout after 10000 ms' },
    ],
    signals,
    stats: {
      fetchMs: 2_100,
      analyzeMs: 380,
      restRequests: 14,
      restWeight: 70,
      retries: 1,
      answers: { l1: 1_200, l2: 80, stream: 300, rest: 1 },
      cacheDegraded: false,
    },
    ...extra,
  };
}

export const target = (at: number, price = 103): ReachedOutcome => ({
  kind: 'target',
  at,
  price,
  rMultiple: 2,
  mfeR: 2,
  maeR: 0.4,
  candles: 3,
  reason: 'high 103.2 reached the target',
});

export const stop = (at: number, price = 98.5): ReachedOutcome => ({
  kind: 'stop',
  at,
  price,
  rMultiple: -1,
  mfeR: 0.3,
  maeR: 1,
  candles: 2,
  reason: 'low 98.1 reached the stop',
});

export const missing = (at: number): MissingOutcome => ({
  kind: 'missing',
  at,
  price: null,
  rMultiple: null,
  mfeR: null,
  maeR: null,
  candles: 0,
  reason: 'no candles at all for the symbol (delisted, or not served)',
});
