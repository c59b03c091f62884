import { indicatorSeries, type IndicatorSeries } from '../analysis/indicators.js';
import { CandleStore } from '../cache/candle-store.js';
import { createCacheRedisClient, redisTls } from '../cache/redis-connection.js';
import type { Config } from '../config.js';
import { UnknownSymbolError } from '../errors.js';
import { RedisWeightBudget } from '../exchange/redis-weight-budget.js';
import { symbolResolver } from '../exchange/symbol-resolver.js';
import { CandlePipeline } from '../market-data/candle-pipeline.js';
import type { Ohlcv } from '../market-data/validate-candles.js';
import { createMarketClient, exchangeId } from '../runtime/exchange-deps.js';
import type { Timeframe } from '../scan/types.js';

export interface IndicatorDump {
  symbol: string;
  timeframe: Timeframe;
  /** Where the candles came from: the store (what the last cycle analysed) or the exchange. */
  source: string;
  candles: Ohlcv[];
  indicators: IndicatorSeries;
}

/**
 * The candles of one series and every indicator series the analysis computes
 * from them, so a signal can be checked by hand. The candles come through the
 * worker's own pipeline: the candle store while fresh (exactly what the last
 * cycle analysed), else the exchange, drawing on the shared weight budget.
 */
export async function inspectIndicators(
  config: Config,
  symbolName: string,
  timeframe: Timeframe,
): Promise<IndicatorDump> {
  const redis = createCacheRedisClient(config.REDIS_URL, redisTls(config));
  const budget = new RedisWeightBudget(redis, {
    name: exchangeId(config),
    limit: config.EXCHANGE_WEIGHT_LIMIT,
  });
  const market = await createMarketClient(config, budget);
  try {
    const listed = symbolResolver(await market.perpetuals())(symbolName);
    if (!listed) throw new UnknownSymbolError(`${symbolName}: not an active USDT perpetual on the exchange`);
    const pipeline = new CandlePipeline(new CandleStore(redis, exchangeId(config)), market);
    const { candles, source } = await pipeline.series(listed, timeframe, config.SCAN_CANDLE_LIMIT);
    return { symbol: listed, timeframe, source, candles, indicators: indicatorSeries(candles) };
  } finally {
    await market.close();
    if (redis.isReady) await redis.quit();
    else redis.destroy();
  }
}

const fixed = (value: number | null, digits = 4) => (value === null ? '-' : value.toFixed(digits));

/** One row per candle, oldest first: the candle, then every indicator. */
export function renderIndicators(dump: IndicatorDump): string {
  const names = Object.keys(dump.indicators) as Array<keyof IndicatorSeries>;
  const header = ['open time (UTC)', 'open', 'high', 'low', 'close', 'volume', ...names];
  const rows = dump.candles.map((c, i) => [
    new Date(c[0]).toISOString().slice(0, 16).replace('T', ' '),
    ...c.slice(1).map((v) => String(v)),
    ...names.map((n) => fixed(dump.indicators[n][i] ?? null)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  return [
    `${dump.symbol} ${dump.timeframe}: ${dump.candles.length} closed candles (from the ${dump.source === 'rest' ? 'exchange' : 'candle store'})`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}
