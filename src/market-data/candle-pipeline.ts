/**
 * @module
 * The market-data pipeline: for each (symbol, timeframe) the first tier that
 * can answer does. The candle store while the series is fresh (kept fresh by
 * the live streams where they run: such answers say "stream"), then REST,
 * incremental when the store holds most of the series. Answers are closed
 * candles only, `limit - 1` of them (the forming candle of a `limit` request
 * is dropped), and every answer says which tier gave it.
 */
import type { CandleTier, Ohlcv } from '../core/candles.js';
import type { RequestCounters } from '../core/markets.js';
import type { Timeframe } from '../core/timeframes.js';
import type { MarketClient } from '../exchange/market-client.js';
import type { CandleStore } from '../storage/candle-store.js';
import { isFresh, mergeCandles, missingCandles, storeTtlMs } from './freshness.js';
import type { StreamFeed } from './stream-feed.js';

export class CandlePipeline {
  constructor(
    private readonly store: CandleStore,
    private readonly market: MarketClient,
    /** The live streams, when the worker runs them: they keep store entries fresh. */
    private readonly streams?: StreamFeed,
  ) {}

  /** The store's answer, when it holds the series fresh; never asks the exchange. */
  async fromStore(
    symbol: string,
    timeframe: Timeframe,
    limit: number,
  ): Promise<{ candles: Ohlcv[]; tier: CandleTier } | undefined> {
    return this.freshIn(
      await this.store.get(symbol, timeframe),
      symbol,
      timeframe,
      limit,
      await this.market.serverNow(),
    );
  }

  private freshIn(
    stored: { candles: Ohlcv[]; tier: CandleTier } | undefined,
    symbol: string,
    timeframe: Timeframe,
    limit: number,
    now: number,
  ): { candles: Ohlcv[]; tier: CandleTier } | undefined {
    const want = limit - 1;
    if (!stored || stored.candles.length < want || !isFresh(stored.candles, timeframe, now)) return undefined;
    const lastOpen = stored.candles[stored.candles.length - 1]![0];
    const tier = this.streams?.hasDelivered(symbol, timeframe, lastOpen) ? 'stream' : stored.tier;
    return { candles: stored.candles.slice(-want), tier };
  }

  async series(
    symbol: string,
    timeframe: Timeframe,
    limit: number,
    counters?: RequestCounters,
  ): Promise<{ candles: Ohlcv[]; tier: CandleTier }> {
    const want = limit - 1;
    const now = await this.market.serverNow();
    const stored = await this.store.get(symbol, timeframe);
    const fresh = this.freshIn(stored, symbol, timeframe, limit, now);
    if (fresh) return fresh;
    let candles: Ohlcv[] | undefined;
    const missing = stored ? missingCandles(stored.candles, timeframe, now) : Infinity;
    if (stored && stored.candles.length >= want && missing < want) {
      // Only what is missing, plus the forming candle (dropped).
      const newer = (await this.market.candles(symbol, timeframe, missing + 1, counters)).slice(0, -1);
      candles = mergeCandles(stored.candles, newer, timeframe, want);
    }
    if (!candles || candles.length < want) {
      candles = (await this.market.candles(symbol, timeframe, limit, counters)).slice(0, -1);
    }
    await this.store.set(symbol, timeframe, candles, storeTtlMs(timeframe));
    return { candles, tier: 'rest' };
  }
}
