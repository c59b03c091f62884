/**
 * @module
 * The one place a ccxt exchange is built. The product talks to Binance
 * USDⓈ-M through ccxt.pro's `binanceusdm`, unmodified; pointing it at the
 * simulator only overrides its URLs, so switching to the real exchange is a
 * configuration change.
 */
import { BinanceUsdmPro } from './ccxt-modules.js';

export type ExchangeKind = 'simulator' | 'binanceusdm';

export interface ExchangeOptions {
  kind: ExchangeKind;
  /** The simulator's base URL (http://host:port); REST and WebSocket URLs derive from it. */
  url?: string;
  /** ccxt's own per-process throttler (off where a shared budget or a benchmark decides). */
  enableRateLimit: boolean;
  /** Per request (EXCHANGE_TIMEOUT_MS). */
  timeoutMs: number;
}

export type BinanceUsdm = InstanceType<typeof BinanceUsdmPro>;

/** The URL overrides that send every binanceusdm request to `baseUrl`. */
export function simulatorUrls(baseUrl: string): Record<string, unknown> {
  const http = baseUrl.replace(/\/+$/, '');
  const ws = http.replace(/^http/, 'ws');
  return {
    api: {
      fapiPublic: `${http}/fapi/v1`,
      fapiPublicV2: `${http}/fapi/v2`,
      fapiPublicV3: `${http}/fapi/v3`,
      fapiPrivate: `${http}/fapi/v1`,
      fapiPrivateV2: `${http}/fapi/v2`,
      fapiPrivateV3: `${http}/fapi/v3`,
      fapiData: `${http}/futures/data`,
      public: `${http}/api/v3`,
      private: `${http}/api/v3`,
      sapi: `${http}/sapi/v1`,
      ws: { future: `${ws}/ws` },
    },
  };
}

export function createExchange(options: ExchangeOptions): BinanceUsdm {
  const config: Record<string, unknown> = {
    enableRateLimit: options.enableRateLimit,
    timeout: options.timeoutMs,
    options: { defaultType: 'swap' },
  };
  if (options.kind === 'simulator') {
    if (!options.url) throw new Error('the simulator exchange needs its URL');
    config.urls = simulatorUrls(options.url);
  }
  return new BinanceUsdmPro(config);
}

/**
 * createExchange, ready for streams too: ccxt.pro dials plain ws:// URLs
 * (the simulator's) only through an http.Agent it loads asynchronously.
 */
export async function connectExchange(options: ExchangeOptions): Promise<BinanceUsdm> {
  const exchange = createExchange(options);
  if (options.kind === 'simulator' && options.url?.startsWith('http://')) await exchange.loadHttpProxyAgent();
  return exchange;
}
