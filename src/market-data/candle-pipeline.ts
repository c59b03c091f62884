/**
 * @module
 * The market-data pipeline: for each (symbol, timeframe) the first tier that
 * can answer does. The candle store while the series is fresh (kept fresh by
 * the live streams where they run: such answers say "stream"), then REST,
 * incremental when the store holds most of the series. Answers are closed
 * candles only, `limit - 1` of them (the forming candle of a `limit` request
 * is dropped), and every answer says which tier gave it.
 *
 * Just after a close the store lacks the candle that closed, and its final
 * kline is on its way over the streams (about 2 s late on USDⓈ-M futures): a
 * read of a streamed series waits for it, up to `finalWaitMs` after the
 * close, rather than send REST a request the stream answers a moment later.
 * A cycle can so start before its close's data is all there (the close
 * trigger) and each series be read the moment it is.
 */
import type { CandleTier, Ohlcv } from '../core/candles.js';
import type { RequestCounters } from '../core/markets.js';
import { timeframeMs, type Timeframe } from '../core/timeframes.js';
import type { MarketClient } from '../exchange/market-client.js';
import type { CandleStore, StoredCandles } from '../storage/candle-store.js';
import { answersScan, mergeCandles, missingCandles, storeTtlMs } from './freshness.js';
import type { StreamFeed } from './stream-feed.js';

export interface CandlePipelineOptions {
  /** The live streams, when the worker runs them: they keep store entries fresh. */
  streams?: StreamFeed;
  /** How long after a close (exchange ms) a read waits for a streamed series' final kline. */
  finalWaitMs?: number;
}

export class CandlePipeline {
  private readonly streams?: StreamFeed;
  private readonly finalWaitMs: number;

  constructor(
    private readonly store: CandleStore,
    private readonly market: MarketClient,
    options: CandlePipelineOptions = {},
  ) {
    this.streams = options.streams;
    this.finalWaitMs = options.finalWaitMs ?? 0;
  }

  /**
   * The store's answer, when it holds the series fresh (waiting for the final
   * kline of a close that just happened, when the streams bring it); never
   * asks the exchange.
   */
  async fromStore(
    symbol: string,
    timeframe: Timeframe,
    limit: number,
  ): Promise<{ candles: Ohlcv[]; tier: CandleTier } | undefined> {
    const stored = await this.store.get(symbol, timeframe);
    const now = await this.market.serverNow();
    const fresh = this.freshIn(stored, symbol, timeframe, limit, now);
    if (fresh || !stored || !(await this.finalCame(stored, symbol, timeframe, limit, now))) return fresh;
    return this.freshIn(
      await this.store.get(symbol, timeframe),
      symbol,
      timeframe,
      limit,
      await this.market.serverNow(),
    );
  }

  /** Waits, when the series lacks only the candle that just closed and a stream brings it; true if it came. */
  private async finalCame(
    stored: StoredCandles,
    symbol: string,
    timeframe: Timeframe,
    limit: number,
    now: number,
  ): Promise<boolean> {
    if (!this.streams?.follows(symbol, timeframe) || stored.count < limit - 1) return false;
    if (missingCandles(stored.lastOpen, timeframe, now) !== 1) return false;
    const awaitedOpen = stored.lastOpen! + timeframeMs(timeframe);
    const untilMs = awaitedOpen + timeframeMs(timeframe) + this.finalWaitMs - now;
    return this.streams.untilDelivered(symbol, timeframe, awaitedOpen, Math.min(untilMs, this.finalWaitMs));
  }

  /** The stored series when it is fresh; judged without unpacking it, its candles unpacked when read. */
  private freshIn(
    stored: StoredCandles | undefined,
    symbol: string,
    timeframe: Timeframe,
    limit: number,
    now: number,
  ): { candles: Ohlcv[]; tier: CandleTier } | undefined {
    const want = limit - 1;
    if (!stored || !answersScan(stored.count, stored.lastOpen, timeframe, limit, now)) return undefined;
    const tier = this.streams?.hasDelivered(symbol, timeframe, stored.lastOpen!) ? 'stream' : stored.tier;
    return {
      tier,
      get candles() {
        return stored.candles.slice(-want);
      },
    };
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
    const missing = stored ? missingCandles(stored.lastOpen, timeframe, now) : Infinity;
    if (stored && stored.count >= want && missing < want) {
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
