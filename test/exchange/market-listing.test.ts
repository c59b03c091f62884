import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { PerpetualMarket } from '../../src/core/markets.js';
import type { MarketClient } from '../../src/exchange/market-client.js';
import { createExchangeStack, type ExchangeStack } from '../../src/market-data/exchange-stack.js';
import type { Simulator } from '../../src/simulator/server.js';
import { startTestSimulator } from '../helpers/simulator.js';

/** The universe's listing: reused while young, refreshed in the background, reloaded when old. */
describe('market listing', () => {
  let sim: Simulator;
  let stack: ExchangeStack;
  let market: MarketClient;
  const loaded: PerpetualMarket[][] = [];
  const listed = async () => (await market.perpetuals()).map((p) => p.id);
  const exchangeInfoRequests = () => sim.stats.snapshot().byPath['/fapi/v1/exchangeInfo'] ?? 0;

  beforeAll(async () => {
    sim = await startTestSimulator({ symbols: 12 });
    stack = await createExchangeStack(
      loadConfig(process.env, { EXCHANGE_URL: sim.url, EXCHANGE_MARKETS_REFRESH_MS: '300' }),
      { streams: false },
    );
    market = stack.market;
    market.onListing((perpetuals) => loaded.push(perpetuals));
  });
  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  it('reuses a young listing: a cycle does not wait on exchangeInfo', async () => {
    const before = exchangeInfoRequests();
    const [a, b] = await Promise.all([listed(), listed()]);
    expect(a).toEqual(b);
    expect(await listed()).toEqual(a);
    expect(exchangeInfoRequests() - before).toBe(1);
  });

  it('sees a delisting once the listing is refreshed in the background, without a cycle asking', async () => {
    expect(await listed()).toContain('ETHUSDT');
    sim.state.delist('ETHUSDT');
    market.keepMarketsFresh(100);
    const before = exchangeInfoRequests();
    await new Promise((r) => setTimeout(r, 450));
    expect(exchangeInfoRequests() - before).toBeGreaterThanOrEqual(2);
    const requests = exchangeInfoRequests();
    expect(await listed()).not.toContain('ETHUSDT');
    expect(exchangeInfoRequests()).toBe(requests); // answered from the refreshed listing
  });

  it("tells its listeners of every listing it loads (the worker's streams follow new listings so)", () => {
    expect(loaded.length).toBeGreaterThanOrEqual(3);
    expect(loaded[0]!.map((p) => p.id)).toContain('ETHUSDT');
    expect(loaded.at(-1)!.map((p) => p.id)).not.toContain('ETHUSDT');
  });
});
