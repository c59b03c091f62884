import type { ActivityDeps } from '../activities/create-activities.js';
import { CandleStore } from '../cache/candle-store.js';
import { createCacheRedisClient, redisTls } from '../cache/redis-connection.js';
import type { Config } from '../config.js';
import { CandlePipeline } from '../market-data/candle-pipeline.js';
import { RedisWeightBudget } from '../exchange/redis-weight-budget.js';
import { ReportStore } from '../reports/report-store.js';
import { connectExchange } from '../exchange/ccxt-factory.js';
import { StreamFeed } from '../market-data/stream-feed.js';
import { ScannerMetrics } from '../metrics/scanner-metrics.js';
import { createMarketClient, exchangeId } from './exchange-deps.js';

/** Everything the activities need, built from configuration, and how to close it all. */
export async function createActivityDeps(config: Config): Promise<{
  deps: ActivityDeps;
  metrics: ScannerMetrics;
  close: () => Promise<void>;
}> {
  const redis = createCacheRedisClient(config.REDIS_URL, redisTls(config));
  // Binance counts weight per IP: every worker draws from one budget in Redis.
  const budget = new RedisWeightBudget(redis, {
    name: exchangeId(config),
    limit: config.EXCHANGE_WEIGHT_LIMIT,
  });
  const market = await createMarketClient(config, budget);
  const store = new CandleStore(redis, exchangeId(config));
  const reports = new ReportStore(config.REDIS_URL, config.REPORTS_KEEP, redisTls(config));
  // Created before the streams, which report their lag into it.
  const metrics = new ScannerMetrics(market);
  const streams =
    config.STREAMS === 'on'
      ? new StreamFeed({
          connect: () =>
            connectExchange({
              kind: config.EXCHANGE,
              url: config.EXCHANGE_URL,
              enableRateLimit: false,
              timeoutMs: config.EXCHANGE_TIMEOUT_MS,
              // The feed reads the last closed candles at each update; a few are plenty.
              streamCandlesKept: 10,
            }),
          store,
          timeframes: config.SCAN_TIMEFRAMES,
          now: () => market.estimatedServerNow(),
          onDelivered: (lagMs) => metrics.streamLag.observe(lagMs / 1000),
          keep: config.SCAN_CANDLE_LIMIT - 1,
        })
      : undefined;
  if (streams) metrics.watchStreams(streams);
  return {
    metrics,
    deps: {
      market,
      store,
      pipeline: new CandlePipeline(store, market, streams),
      streams,
      reports,
      exchangeId: exchangeId(config),
      universe: {
        include: config.SCAN_INCLUDE,
        exclude: config.SCAN_EXCLUDE,
        minQuoteVolume: config.SCAN_MIN_QUOTE_VOLUME,
      },
      fetchConcurrency: config.SCAN_FETCH_CONCURRENCY,
      rules: config.SCAN_RULES,
      metrics,
    },
    close: async () => {
      await Promise.allSettled([
        market.close(),
        reports.close(),
        redis.isReady ? redis.quit() : Promise.resolve(redis.destroy()),
      ]);
    },
  };
}
