import { activityLog } from '../activities/activity-context.js';
import { type Config } from '../config.js';
import { connectExchange } from '../exchange/ccxt-factory.js';
import { MarketClient } from '../exchange/market-client.js';
import type { WeightBudget } from '../exchange/weight-budget.js';

/** The exchange, as configured: the simulator at EXCHANGE_URL, or Binance itself. */
export async function createMarketClient(config: Config, budget?: WeightBudget): Promise<MarketClient> {
  const exchange = await connectExchange({
    kind: config.EXCHANGE,
    url: config.EXCHANGE_URL,
    // Our own retries and gate decide pacing; ccxt's throttler (one request per 50 ms) would serialize a cycle.
    enableRateLimit: false,
    timeoutMs: config.EXCHANGE_TIMEOUT_MS,
  });
  return new MarketClient(exchange, {
    weightLimit: config.EXCHANGE_WEIGHT_LIMIT,
    budget,
    clockCheckMs: config.EXCHANGE_CLOCK_CHECK_MS,
    marketsMaxAgeMs: 2 * config.EXCHANGE_MARKETS_REFRESH_MS,
    // Bounded (DEFAULT_RETRY's attempts) and logged with the activity's ids.
    onRetry: (error, attempt) =>
      activityLog('warn', 'exchange request retried', { attempt, error: `${error.name}: ${error.message}` }),
  });
}

/** The cache key space of an exchange: the simulator and Binance never share entries. */
export function exchangeId(config: Config): string {
  return config.EXCHANGE === 'simulator'
    ? `sim-${new URL(config.EXCHANGE_URL!).port || 'default'}`
    : 'binanceusdm';
}
