import type { CandleStore, CacheTier } from '../cache/candle-store.js';
import type { MarketClient, RequestCounters } from '../exchange/market-client.js';
import { timeframeMs } from '../scan/timeframes.js';
import type { Timeframe } from '../scan/types.js';
import { isFresh, mergeCandles, missingCandles } from './freshness.js';
import type { StreamFeed } from './stream-feed.js';
import type { Ohlcv } from './validate-candles.js';

export type CandleSource = CacheTier | 'stream' | 'rest';

/**
 * The seed's UnifiedDataPipeline: for each (symbol, timeframe) the first tier
 * that can answer does: the candle store while the series is fresh (kept
 * fresh by the live streams where they run: such answers count as
 * "stream"), then REST, incremental when the store holds most of the series. Answers are
 * closed candles only, `limit - 1` of them (the forming candle of a `limit`
 * request is dropped), and every answer says which tier gave it.
 */
export class CandlePipeline {
  constructor(
    private readonly store: CandleStore,
    private readonly market: MarketClient,
    /** The live streams, when the worker runs them: they keep store entries fresh. */
    private readonly streams?: StreamFeed,
  ) {}

  async series(
    symbol: string,
    timeframe: Timeframe,
    limit: number,
    counters?: RequestCounters,
  ): Promise<{ candles: Ohlcv[]; source: CandleSource }> {
    const want = limit - 1;
    const now = await this.market.serverNow();
    const stored = await this.store.get(symbol, timeframe);
    if (stored && stored.candles.length >= want && isFresh(stored.candles, timeframe, now)) {
      const lastOpen = stored.candles[stored.candles.length - 1]![0];
      const source = this.streams?.hasDelivered(symbol, timeframe, lastOpen) ? 'stream' : stored.tier;
      return { candles: stored.candles.slice(-want), source };
    }
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
    await this.store.set(symbol, timeframe, candles, Math.min(2 * 86_400_000, 50 * timeframeMs(timeframe)));
    return { candles, source: 'rest' };
  }
}
