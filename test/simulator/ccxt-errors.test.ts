import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { connectExchange, type BinanceUsdm } from '../../src/exchange/ccxt-factory.js';
import type { Simulator } from '../../src/simulator/server.js';
import { startTestSimulator } from '../helpers/simulator.js';

/** Binance's failures, as the simulator produces them, surface as ccxt's error classes. */
describe('simulator failures through ccxt', () => {
  let sim: Simulator;
  let exchange: BinanceUsdm;
  const start = async (options: Parameters<typeof startTestSimulator>[0]) => {
    sim = await startTestSimulator({ symbols: 20, ...options });
    exchange = await connectExchange({
      kind: 'simulator',
      url: sim.url,
      enableRateLimit: false,
      timeoutMs: 1500,
    });
    await exchange.loadMarkets();
  };
  afterEach(async () => {
    await exchange?.close();
    await sim?.close();
  });

  it('429 past the weight limit is DDoSProtection, and sending on is banned with 418', async () => {
    await start({ weightLimit: 5 });
    for (let i = 0; i < 4; i++) await exchange.fetchTime(); // loadMarkets used 1
    const limited = await exchange.fetchTime().catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ccxt.DDoSProtection);
    expect(String(limited)).toContain('429');
    expect(sim.stats.byStatus['429']).toBe(1);
    await new Promise((r) => setTimeout(r, 1100)); // past the grace for in-flight requests
    const banned = await exchange.fetchTime().catch((e: unknown) => e);
    expect(banned).toBeInstanceOf(ccxt.DDoSProtection);
    expect(String(banned)).toContain('418');
    expect(sim.stats.byStatus['418']).toBe(1);
  });

  it('-1121 for a delisted symbol is BadSymbol', async () => {
    await start({});
    sim.state.delist('ETHUSDT');
    await expect(exchange.fetchOHLCV('ETH/USDT:USDT', '1h', undefined, 10)).rejects.toBeInstanceOf(
      ccxt.BadSymbol,
    );
  });

  it('-1120 for an interval Binance does not have is BadRequest', async () => {
    await start({});
    await expect(
      exchange.fapiPublicGetKlines({ symbol: 'BTCUSDT', interval: '7m', limit: 5 }),
    ).rejects.toBeInstanceOf(ccxt.BadRequest);
  });

  it('5xx is ExchangeNotAvailable', async () => {
    await start({});
    sim.setFaults({ errorRate: 1 });
    await expect(exchange.fetchOHLCV('BTC/USDT:USDT', '1h', undefined, 10)).rejects.toBeInstanceOf(
      ccxt.ExchangeNotAvailable,
    );
  });

  it('a request never answered times out as RequestTimeout', async () => {
    await start({});
    sim.setFaults({ hangRate: 1 });
    await expect(exchange.fetchOHLCV('BTC/USDT:USDT', '1h', undefined, 10)).rejects.toBeInstanceOf(
      ccxt.RequestTimeout,
    );
  });

  it('malformed kline bodies reach the caller as detectably broken series (ccxt does not reject them)', async () => {
    await start({});
    sim.setFaults({ malformedRate: 1 });
    const step = 3_600_000;
    const wellFormed = (rows: unknown) =>
      Array.isArray(rows) &&
      rows.length === 6 &&
      rows.every(
        (row, i) =>
          Array.isArray(row) &&
          row.every((v) => typeof v === 'number' && Number.isFinite(v)) &&
          (i === 0 || (row[0] as number) - (rows[i - 1] as number[])[0]! === step),
      );
    let passedAsWellFormed = 0;
    for (let i = 0; i < 40; i++) {
      const result = await exchange.fetchOHLCV('BTC/USDT:USDT', '1h', undefined, 6).catch((e: unknown) => e);
      if (!(result instanceof Error) && wellFormed(result)) passedAsWellFormed++;
    }
    expect(sim.stats.faults.malformed).toBe(40);
    // ccxt sorts rows by time, which repairs (only) the out-of-order fault.
    expect(passedAsWellFormed).toBe(sim.stats.malformations['out-of-order'] ?? 0);
    expect(Object.keys(sim.stats.malformations).sort()).toEqual([
      'duplicate',
      'gap',
      'non-numeric',
      'out-of-order',
      'truncated',
    ]);
    sim.setFaults({ malformedRate: 0 });
    expect(wellFormed(await exchange.fetchOHLCV('BTC/USDT:USDT', '1h', undefined, 6))).toBe(true);
  });
});
