import { connectExchange } from '../../src/exchange/ccxt-factory.js';
import { MarketClient } from '../../src/exchange/market-client.js';
import type { WeightBudget } from '../../src/exchange/weight-budget.js';

/** A market client on the simulator at `url`, drawing from `budget` (the listing reloaded on every call). */
export async function simulatorMarketClient(url: string, budget: WeightBudget): Promise<MarketClient> {
  const exchange = await connectExchange({
    kind: 'simulator',
    url,
    enableRateLimit: false,
    timeoutMs: 10_000,
  });
  return new MarketClient(exchange, { budget, clockCheckMs: 300_000, marketsMaxAgeMs: 0 });
}
