import { describe, it } from 'vitest';
import { connectExchange } from '../../src/exchange/ccxt-factory.js';
import { describeBinanceUsdmContract } from './binance-usdm.contract.js';

// The same contract against the real exchange, where a network reaches it:
// LIVE_BINANCE=1 npm test -- binance-live. Public endpoints only, no keys.
if (process.env.LIVE_BINANCE === '1') {
  describeBinanceUsdmContract('Binance (live)', async () => {
    const exchange = await connectExchange({ kind: 'binanceusdm' });
    return { exchange, close: () => exchange.close() };
  });
} else {
  describe('Binance USDⓈ-M contract: Binance (live)', () => {
    it.skip('runs only with LIVE_BINANCE=1 (this machine reaches no exchange)', () => {});
  });
}
