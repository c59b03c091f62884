/**
 * @module
 * The Binance USDⓈ-M REST endpoints a market scanner uses, with Binance's
 * parameter rules, weights and JSON shapes (numbers as strings where Binance
 * sends strings).
 */
import { binanceErrors } from './binance-errors.js';
import type { ExchangeState } from './exchange-state.js';
import { isInterval } from './intervals.js';
import type { Candle } from './market-model.js';
import type { SimulatorOptions } from './options.js';
import { priceText, quantityText, quoteVolumeText } from './formats.js';
import type { ListedSymbol } from './universe.js';

export interface RestRoute {
  weight(params: URLSearchParams): number;
  handle(
    params: URLSearchParams,
    state: ExchangeState,
    options: Pick<SimulatorOptions, 'weightLimit'>,
  ): unknown;
}

const INTEGER = /^[0-9]{1,20}$/;

/** An answer already serialized (kline rows are formatted once per closed candle). */
export class RawJson {
  constructor(readonly json: string) {}
  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

function integerParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  if (!INTEGER.test(raw)) throw binanceErrors.illegalCharacters(name);
  return Number(raw);
}

/**
 * Binance: limit in [1,100) costs 1, [100,500) 2, [500,1000] 5, above 10.
 * Default 500. The product has its own copy on purpose: the simulator
 * imports nothing of it.
 */
export function klinesWeight(limit: number): number {
  if (limit < 100) return 1;
  if (limit < 500) return 2;
  if (limit <= 1000) return 5;
  return 10;
}

function liveSymbol(params: URLSearchParams, state: ExchangeState): ListedSymbol {
  const id = params.get('symbol');
  if (!id) throw binanceErrors.mandatory('symbol');
  const symbol = state.live(id.toUpperCase() === id ? id : '');
  if (!symbol) throw binanceErrors.invalidSymbol();
  return symbol;
}

function fixed(value: number, decimals: number): string {
  return value.toFixed(decimals);
}

/** A kline row: [openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBuyBase, takerBuyQuote, ignore]. */
export function klineRow(candle: Candle, symbol: ListedSymbol): Array<number | string> {
  return [
    candle.openTime,
    priceText(symbol, candle.open),
    priceText(symbol, candle.high),
    priceText(symbol, candle.low),
    priceText(symbol, candle.close),
    quantityText(symbol, candle.volumeSteps),
    candle.closeTime,
    quoteVolumeText(symbol, candle.quoteVolume),
    candle.trades,
    quantityText(symbol, candle.takerBuySteps),
    quoteVolumeText(symbol, candle.takerBuyQuote),
    '0',
  ];
}

function ticker(symbol: ListedSymbol, state: ExchangeState): Record<string, unknown> {
  const now = state.clock.now();
  const w = state.model.window(symbol.id, now - 86_400_000, now);
  const p = symbol.pricePrecision;
  const q = symbol.quantityPrecision;
  const volume = w.volumeSteps * 10 ** -q;
  return {
    symbol: symbol.id,
    priceChange: priceText(symbol, w.close - w.open),
    priceChangePercent: fixed(((w.close - w.open) / w.open) * 100, 3),
    weightedAvgPrice: fixed(volume > 0 ? w.quoteVolume / volume : w.close, p),
    lastPrice: priceText(symbol, w.close),
    lastQty: quantityText(symbol, 1),
    openPrice: priceText(symbol, w.open),
    highPrice: priceText(symbol, w.high),
    lowPrice: priceText(symbol, w.low),
    volume: fixed(volume, q),
    quoteVolume: fixed(w.quoteVolume, 2),
    openTime: w.openTime,
    closeTime: now,
    firstId: w.firstTradeId,
    lastId: w.lastTradeId,
    count: w.trades,
  };
}

function marketInfo(symbol: ListedSymbol, delisted: boolean): Record<string, unknown> {
  return {
    symbol: symbol.id,
    pair: symbol.id.split('_')[0],
    contractType: symbol.contractType,
    deliveryDate: symbol.deliveryDate,
    onboardDate: symbol.onboardDate,
    status: delisted ? 'SETTLING' : symbol.status,
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: symbol.base,
    quoteAsset: symbol.quote,
    marginAsset: symbol.quote,
    pricePrecision: symbol.pricePrecision,
    quantityPrecision: symbol.quantityPrecision,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    maxMoveOrderLimit: 10000,
    filters: [
      {
        filterType: 'PRICE_FILTER',
        // A floor well under the price, on the tick (BTCUSDT's is "556.80").
        minPrice: priceText(symbol, Math.max(symbol.refPrice / 100, 10 ** -symbol.tickDecimals)),
        maxPrice: '10000000',
        tickSize: symbol.tickSize,
      },
      { filterType: 'LOT_SIZE', minQty: symbol.stepSize, maxQty: '10000000', stepSize: symbol.stepSize },
      {
        filterType: 'MARKET_LOT_SIZE',
        minQty: symbol.stepSize,
        maxQty: '1000000',
        stepSize: symbol.stepSize,
      },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      // MAX_NUM_ALGO_ORDERS left the list on 2025-12-29; POSITION_RISK_CONTROL joined it.
      { filterType: 'MIN_NOTIONAL', notional: '5' },
      {
        filterType: 'PERCENT_PRICE',
        multiplierUp: '1.0500',
        multiplierDown: '0.9500',
        multiplierDecimal: '4',
      },
      { filterType: 'POSITION_RISK_CONTROL', positionControlSide: 'NONE' },
    ],
    orderTypes: [
      'LIMIT',
      'MARKET',
      'STOP',
      'STOP_MARKET',
      'TAKE_PROFIT',
      'TAKE_PROFIT_MARKET',
      'TRAILING_STOP_MARKET',
    ],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
    permissionSets: ['GRID', 'COPY', 'RPI', 'DCA', 'PSB'],
  };
}

export const REST_ROUTES: Record<string, RestRoute> = {
  '/fapi/v1/ping': { weight: () => 1, handle: () => ({}) },
  '/fapi/v1/time': { weight: () => 1, handle: (_p, state) => ({ serverTime: state.clock.now() }) },
  '/fapi/v1/exchangeInfo': {
    weight: () => 1,
    handle: (_p, state, options) => ({
      timezone: 'UTC',
      serverTime: state.clock.now(),
      futuresType: 'U_MARGINED',
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: options.weightLimit },
        { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
      ],
      exchangeFilters: [],
      assets: [
        { asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' },
        { asset: 'USDC', marginAvailable: true, autoAssetExchange: '-10000' },
      ],
      symbols: state.universe.map((s) => marketInfo(s, state.isDelisted(s.id))),
    }),
  },
  '/fapi/v1/klines': {
    weight: (params) => {
      const raw = params.get('limit');
      const limit = raw !== null && INTEGER.test(raw) ? Number(raw) : 500;
      return klinesWeight(limit);
    },
    handle: (params, state) => {
      const symbol = liveSymbol(params, state);
      const interval = params.get('interval');
      if (!interval) throw binanceErrors.mandatory('interval');
      if (!isInterval(interval)) throw binanceErrors.invalidInterval();
      const limit = integerParam(params, 'limit') ?? 500;
      if (limit < 1 || limit > 1500) throw binanceErrors.invalidValue('limit');
      const startTime = integerParam(params, 'startTime');
      const endTime = integerParam(params, 'endTime');
      if (startTime !== undefined && endTime !== undefined && startTime > endTime)
        throw binanceErrors.startAfterEnd();
      const candles = state.model.klines(
        symbol.id,
        interval,
        { startTime, endTime, limit },
        state.clock.now(),
      );
      return new RawJson(
        `[${candles.map((candle) => (candle.row ??= JSON.stringify(klineRow(candle, symbol)))).join(',')}]`,
      );
    },
  },
  '/fapi/v1/ticker/24hr': {
    weight: (params) => (params.get('symbol') ? 1 : 40),
    handle: (params, state) => {
      if (params.get('symbol')) return ticker(liveSymbol(params, state), state);
      return state.universe.filter((s) => !state.isDelisted(s.id)).map((s) => ticker(s, state));
    },
  },
};
