import { connectExchange } from '../../src/exchange/ccxt-factory.js';
import { startTestSimulator } from '../helpers/simulator.js';
import { describeBinanceUsdmContract } from './binance-usdm.contract.js';

describeBinanceUsdmContract('the simulator', async () => {
  const sim = await startTestSimulator({ latencyMs: 5, klineUpdateMs: 100 });
  const exchange = await connectExchange({
    kind: 'simulator',
    url: sim.url,
    enableRateLimit: false,
    timeoutMs: 10_000,
  });
  return {
    exchange,
    expectedPerpetuals: 530,
    close: async () => {
      await exchange.close();
      await sim.close();
    },
  };
});
