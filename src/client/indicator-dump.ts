/**
 * @module
 * The candles of one series and every indicator series the analysis
 * computes from them, so a signal can be checked by hand. The candles come
 * through the worker's own pipeline: the candle store while fresh (exactly
 * what the last cycle analysed), else the exchange, drawing on the shared
 * weight budget.
 */
import { indicatorSeries, type IndicatorSeries } from '../analysis/indicators.js';
import type { Config } from '../config.js';
import type { CandleTier, Ohlcv } from '../core/candles.js';
import { UnknownSymbolError } from '../core/errors.js';
import type { Timeframe } from '../core/timeframes.js';
import { createExchangeStack } from '../market-data/exchange-stack.js';
import { symbolResolver } from '../market-data/universe.js';

export interface IndicatorDump {
  symbol: string;
  timeframe: Timeframe;
  /** Where the candles came from: the store (what the last cycle analysed) or the exchange. */
  tier: CandleTier;
  candles: Ohlcv[];
  indicators: IndicatorSeries;
}

export async function inspectIndicators(
  config: Config,
  symbolName: string,
  timeframe: Timeframe,
): Promise<IndicatorDump> {
  const stack = await createExchangeStack(config, { streams: false });
  try {
    const listed = symbolResolver(await stack.market.perpetuals())(symbolName);
    if (!listed) throw new UnknownSymbolError(`${symbolName}: not an active USDT perpetual on the exchange`);
    const { candles, tier } = await stack.pipeline.series(listed, timeframe, config.SCAN_CANDLE_LIMIT);
    return { symbol: listed, timeframe, tier, candles, indicators: indicatorSeries(candles) };
  } finally {
    await stack.close();
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
    `${dump.symbol} ${dump.timeframe}: ${dump.candles.length} closed candles (from the ${dump.tier === 'rest' ? 'exchange' : 'candle store'})`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}
