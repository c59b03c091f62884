/**
 * @module
 * The exchange stack, built from configuration in one place for every
 * process that reads market data (the worker, the client's `indicators`
 * command, the benchmark): one Redis client, the weight budget shared
 * through it, the market client, the candle store, the live streams when
 * asked for, and the pipeline over them.
 */
import type { RedisClientType } from '@redis/client';
import { type Config, redisTls } from '../config.js';
import type { ScannerError } from '../core/errors.js';
import { connectExchange, type ExchangeOptions } from '../exchange/ccxt-factory.js';
import { MarketClient } from '../exchange/market-client.js';
import { RedisWeightBudget } from '../exchange/redis-weight-budget.js';
import { CandleStore } from '../storage/candle-store.js';
import { closeRedis, createRedisClient } from '../storage/redis-connection.js';
import { exchangeIdOf } from '../storage/redis-keys.js';
import { CandlePipeline } from './candle-pipeline.js';
import { StreamFeed } from './stream-feed.js';

/** Series the in-process tier holds at most: every timeframe of a few thousand symbols. */
const L1_SERIES = 20_000;

export interface ExchangeStack {
  exchangeId: string;
  redis: RedisClientType;
  market: MarketClient;
  store: CandleStore;
  /** The live streams, when asked for and STREAMS=on. */
  streams?: StreamFeed;
  pipeline: CandlePipeline;
  close(): Promise<void>;
}

export interface ExchangeStackOptions {
  /** Run the live kline streams (the worker does; a one-off command does not). */
  streams: boolean;
  /** Told of every REST retry (the worker logs them with the activity's ids). */
  onRetry?: (error: ScannerError, attempt: number) => void;
  /** Told how late (ms, exchange clock) each streamed closed candle reached the store. */
  onStreamLag?: (lagMs: number) => void;
}

export async function createExchangeStack(
  config: Config,
  options: ExchangeStackOptions,
): Promise<ExchangeStack> {
  const exchangeId = exchangeIdOf(config);
  const redis = createRedisClient(config.REDIS_URL, redisTls(config));
  const exchangeOptions: ExchangeOptions = {
    kind: config.EXCHANGE,
    url: config.EXCHANGE_URL,
    // Our own budget, gate and retries decide pacing; ccxt's throttler (one request per 50 ms) would serialize a cycle.
    enableRateLimit: false,
    timeoutMs: config.EXCHANGE_TIMEOUT_MS,
  };
  const market = new MarketClient(await connectExchange(exchangeOptions), {
    // Binance counts weight per IP: every worker draws from one budget in Redis.
    budget: new RedisWeightBudget(redis, { exchangeId, limit: config.EXCHANGE_WEIGHT_LIMIT }),
    clockCheckMs: config.EXCHANGE_CLOCK_CHECK_MS,
    marketsMaxAgeMs: 2 * config.EXCHANGE_MARKETS_REFRESH_MS,
    onRetry: options.onRetry,
  });
  const store = new CandleStore(redis, exchangeId, { l1Size: L1_SERIES });
  const streams =
    options.streams && config.STREAMS === 'on'
      ? new StreamFeed({
          connect: () => connectExchange(exchangeOptions),
          store,
          timeframes: config.SCAN_TIMEFRAMES,
          now: () => market.estimatedServerNow(),
          onDelivered: options.onStreamLag,
          keep: config.SCAN_CANDLE_LIMIT - 1,
        })
      : undefined;
  return {
    exchangeId,
    redis,
    market,
    store,
    streams,
    pipeline: new CandlePipeline(store, market, { streams, finalWaitMs: config.STREAM_FINAL_WAIT_MS }),
    close: async () => {
      await streams?.stop();
      await Promise.allSettled([market.close(), closeRedis(redis)]);
    },
  };
}
