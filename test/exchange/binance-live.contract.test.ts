import { describe, it } from 'vitest';
import { connectExchange } from '../../src/exchange/ccxt-factory.js';
import { binanceConnector } from '../helpers/binance-connector.js';
import { describeBinanceConnectorContract } from './binance-connector.contract.js';
import { describeBinanceUsdmContract } from './binance-usdm.contract.js';

// The same contracts against the real exchange, where a network reaches it:
// LIVE_BINANCE=1 npm test -- binance-live. Public endpoints only, no keys.
if (process.env.LIVE_BINANCE === '1') {
  describeBinanceUsdmContract('Binance (live)', async () => {
    const exchange = await connectExchange({ kind: 'binanceusdm', enableRateLimit: true, timeoutMs: 10_000 });
    return { exchange, close: () => exchange.close() };
  });
  describeBinanceConnectorContract('Binance (live)', () => {
    // The connector's defaults: https://fapi.binance.com and wss://fstream.binance.com.
    const connector = binanceConnector();
    return Promise.resolve({
      connector,
      listsSettling: false,
      // Binance's clock cannot be moved: the close is waited for.
      closeOneMinuteSoon: async () => {
        const { serverTime } = await (await connector.restAPI.checkServerTime()).data();
        return (Math.floor(Number(serverTime) / 60_000) + 1) * 60_000 - 1;
      },
      close: () => Promise.resolve(),
    });
  });
} else {
  describe('Binance USDⓈ-M contract: Binance (live)', () => {
    it.skip('runs only with LIVE_BINANCE=1 (this machine reaches no exchange)', () => {});
  });
  describe('Binance USDⓈ-M contract through Binance’s connector: Binance (live)', () => {
    it.skip('runs only with LIVE_BINANCE=1 (this machine reaches no exchange)', () => {});
  });
}
