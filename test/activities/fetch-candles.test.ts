import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type {
  AnalyzeBatchResult,
  CycleReport,
  LedgerHeadline,
  FetchCandlesResult,
  StoreFetchResult,
} from '../../src/contract/types.js';
import { describe, expect, it } from 'vitest';
import {
  type ActivityDeps,
  createActivities,
  type FetchProgress,
  type SeriesSource,
} from '../../src/activities/create-activities.js';
import { DEFAULT_RULE_PARAMS } from '../../src/analysis/params.js';
import type { Ohlcv } from '../../src/core/candles.js';
import { TemporaryExchangeError, UnknownSymbolError } from '../../src/core/errors.js';
import type { Timeframe } from '../../src/core/timeframes.js';
import { randomWalkCandles } from '../analysis/candle-fixtures.js';

/** The activities on plain objects: no simulator, no Redis, no Temporal server (the SDK's MockActivityEnvironment). */
function fakeDeps(overrides: Partial<ActivityDeps> = {}) {
  const fetched: string[] = [];
  const stored = new Map<string, Ohlcv[]>();
  const pipeline: SeriesSource = {
    series: (symbol: string, timeframe: Timeframe) => {
      fetched.push(`${symbol} ${timeframe}`);
      if (symbol === 'BAD/USDT:USDT') return Promise.reject(new UnknownSymbolError('Invalid symbol.'));
      const candles = randomWalkCandles(98, symbol.length);
      stored.set(`${symbol} ${timeframe}`, candles);
      return Promise.resolve({ candles, tier: 'rest' as const });
    },
    fromStore: (symbol: string, timeframe: Timeframe) => {
      const candles = stored.get(`${symbol} ${timeframe}`);
      return Promise.resolve(candles ? { candles, tier: 'l1' as const } : undefined);
    },
  };
  const deps: ActivityDeps = {
    clock: { now: () => Date.parse('2026-12-01T12:02:31Z') },
    listing: {
      perpetuals: () => Promise.resolve([{ symbol: 'BTC/USDT:USDT', id: 'BTCUSDT' }]),
      quoteVolumes: () => Promise.resolve(new Map()),
    },
    pipeline,
    store: {
      get: (symbol, timeframe) => {
        const candles = stored.get(`${symbol} ${timeframe}`);
        return Promise.resolve(candles ? { candles } : undefined);
      },
      degraded: false,
      l2Errors: 0,
    },
    ledger: {
      openSignals: () => Promise.resolve([]),
      recordCycle: () =>
        Promise.resolve({
          recorded: true,
          newSignals: [],
          outcomesApplied: 0,
          alertDestinations: [],
          headline,
        }),
    },
    expiryCandles: 48,
    universe: { include: [], exclude: [], minQuoteVolume: 0 },
    fetchConcurrency: 4,
    rules: DEFAULT_RULE_PARAMS,
    ...overrides,
  };
  return { deps, fetched, stored };
}

const headline: LedgerHeadline = {
  openSignals: 0,
  windowDays: 30,
  resolved: 0,
  targets: 0,
  stops: 0,
  expired: 0,
  missing: 0,
  hitRate: null,
  averageR: null,
};

const request = (symbols: string[]) => ({
  cycleId: 'c',
  symbols,
  timeframes: ['1h', '15m', '5m'] as Timeframe[],
  candleLimit: 99,
});

describe('fetchCandles in an activity context', () => {
  it('resumes from the last heartbeat of a previous attempt: the symbols it reported done are not fetched again', async () => {
    const { deps, fetched } = fakeDeps();
    const done: FetchProgress = { done: ['A/USDT:USDT', 'B/USDT:USDT'] };
    const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: done });
    const beats: FetchProgress[] = [];
    env.on('heartbeat', (details: FetchProgress) => beats.push({ done: [...details.done] }));
    const symbols = ['A/USDT:USDT', 'B/USDT:USDT', 'C/USDT:USDT', 'D/USDT:USDT'];
    const result: FetchCandlesResult = await env.run(createActivities(deps).fetchCandles, request(symbols));
    expect(fetched.map((f) => f.split(' ')[0])).not.toContain('A/USDT:USDT');
    expect(fetched.map((f) => f.split(' ')[0])).not.toContain('B/USDT:USDT');
    expect(fetched).toHaveLength(6); // C and D, three timeframes each
    expect(result.stored).toEqual(symbols); // in the input's order, resumed ones included
    expect(result.stats.answers).toEqual({ l1: 0, l2: 0, stream: 0, rest: 6 });
    // Each finished symbol is reported at once, on top of what the previous attempt had done.
    expect(beats.at(-1)!.done.sort()).toEqual([...symbols].sort());
    expect(beats[0]!.done.slice(0, 2)).toEqual(done.done);
  });

  it('reports a symbol that fails with its reason and keeps the rest of the batch', async () => {
    const { deps } = fakeDeps();
    const env = new MockActivityEnvironment();
    const result: FetchCandlesResult = await env.run(
      createActivities(deps).fetchCandles,
      request(['BTC/USDT:USDT', 'BAD/USDT:USDT']),
    );
    expect(result.stored).toEqual(['BTC/USDT:USDT']);
    expect(result.failures).toEqual([
      { symbol: 'BAD/USDT:USDT', reason: 'UnknownSymbolError: Invalid symbol.' },
    ]);
  });

  it('analyses from the store, and fetches again a series the store lost', async () => {
    const { deps, fetched, stored } = fakeDeps();
    const activities = createActivities(deps);
    const env = new MockActivityEnvironment();
    await env.run(activities.fetchCandles, request(['BTC/USDT:USDT']));
    stored.delete('BTC/USDT:USDT 5m'); // evicted meanwhile
    fetched.length = 0;
    const analysed: AnalyzeBatchResult = await env.run(activities.analyzeBatch, request(['BTC/USDT:USDT']));
    expect(fetched).toEqual(['BTC/USDT:USDT 5m']);
    expect(analysed.failures).toEqual([]);
  });
});

describe('errors at the activity boundary', () => {
  it('hands a permanent error to Temporal as non-retryable, of its own name', async () => {
    const { deps } = fakeDeps({
      listing: {
        perpetuals: () => Promise.reject(new UnknownSymbolError('gone')),
        quoteVolumes: () => Promise.resolve(new Map()),
      },
    });
    const error = await new MockActivityEnvironment()
      .run(createActivities(deps).listSymbols, {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: 'UnknownSymbolError', nonRetryable: true, message: 'gone' });
  });

  it('lets a temporary error through as it is, for Temporal to retry', async () => {
    const fault = new TemporaryExchangeError('503 Service Unavailable');
    const { deps } = fakeDeps({
      listing: { perpetuals: () => Promise.reject(fault), quoteVolumes: () => Promise.resolve(new Map()) },
    });
    const error = await new MockActivityEnvironment()
      .run(createActivities(deps).listSymbols, {})
      .catch((e: unknown) => e);
    expect(error).toBe(fault);
  });
});

describe('the store fast path (a local activity)', () => {
  it('answers what the store holds fresh, and names what it lacks, without asking the exchange', async () => {
    const { deps, fetched } = fakeDeps();
    const activities = createActivities(deps);
    const env = new MockActivityEnvironment();
    await env.run(activities.fetchCandles, request(['BTC/USDT:USDT']));
    fetched.length = 0;
    const warm: StoreFetchResult = await env.run(
      activities.fetchFromStore,
      request(['BTC/USDT:USDT', 'ETH/USDT:USDT']),
    );
    expect(fetched).toEqual([]); // the exchange was not asked
    expect(warm.stored).toEqual(['BTC/USDT:USDT']);
    expect(warm.missing).toEqual(['ETH/USDT:USDT']);
    expect(warm.stats.answers).toEqual({ l1: 3, l2: 0, stream: 0, rest: 0 });
    expect(warm.stats.restRequests).toBe(0);
  });

  it('stamps a saved report with how long after its close it was saved, by the exchange clock', async () => {
    const saved: CycleReport[] = [];
    const { deps } = fakeDeps({
      ledger: {
        openSignals: () => Promise.resolve([]),
        recordCycle: ({ report }) => {
          saved.push(report);
          return Promise.resolve({
            recorded: true,
            newSignals: [],
            outcomesApplied: 0,
            alertDestinations: [],
            headline,
          });
        },
      },
    });
    const result = await new MockActivityEnvironment().run(createActivities(deps).saveReport, {
      cycleId: 'scan-x',
      closeTime: '2026-12-01T12:00:00.000Z',
      timeframes: ['5m'],
      failures: [],
      signals: [],
    } as unknown as CycleReport);
    expect(result).toEqual({ saved: true, closeToReportMs: 151_000, outcomes: 0, ledger: headline });
    expect(saved[0]!.closeToReportMs).toBe(151_000);
  });
});
