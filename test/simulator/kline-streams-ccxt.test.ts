import { afterEach, describe, expect, it } from 'vitest';
import { type BinanceUsdm, connectExchange } from '../../src/exchange/ccxt-factory.js';
import type { Simulator } from '../../src/simulator/server.js';
import { startTestSimulator } from '../helpers/simulator.js';

type Ohlcv = [number, number, number, number, number, number];

/**
 * Unmodified ccxt.pro against the simulator's streams: it rewrites the
 * configured `/ws` to the routed `/market/ws/<n>` and subscribes there, so
 * its klines come although the unrouted paths push none.
 */
describe('simulator kline streams through ccxt.pro', () => {
  let sim: Simulator;
  let exchange: BinanceUsdm;
  const start = async () => {
    // One simulated minute per real second: 1m candles close (and their finals come) every second.
    sim = await startTestSimulator({ symbols: 10, speed: 60, startTime: Date.UTC(2026, 0, 5, 10, 0, 30) });
    exchange = await connectExchange({
      kind: 'simulator',
      url: sim.url,
      enableRateLimit: false,
      timeoutMs: 5_000,
    });
    await exchange.loadMarkets();
  };
  afterEach(async () => {
    await exchange?.close();
    await sim?.close();
  });

  /** Every closed candle ccxt holds for the series equals REST's (its newest candle is the forming one). */
  const expectClosedMatchRest = async (symbol: string, timeframe: string) => {
    const cached = exchange.ohlcvs[symbol]![timeframe]! as unknown as Ohlcv[];
    const closed = cached.slice(0, -1);
    expect(closed.length).toBeGreaterThanOrEqual(2);
    const rest = (await exchange.fetchOHLCV(symbol, timeframe, closed[0]![0], closed.length)) as Ohlcv[];
    expect(closed).toEqual(rest);
  };

  it('watchOHLCV gets closed candles over /market/ws', async () => {
    await start();
    const deadline = Date.now() + 15_000;
    while ((exchange.ohlcvs['BTC/USDT:USDT']?.['1m']?.length ?? 0) < 4 && Date.now() < deadline) {
      await exchange.watchOHLCV('BTC/USDT:USDT', '1m');
    }
    expect(Object.keys(exchange.clients)).toEqual([expect.stringMatching(/\/market\/ws\/\d+$/) as string]);
    await expectClosedMatchRest('BTC/USDT:USDT', '1m');
    expect(sim.streams.streamCount).toBe(1);
  });

  it('watchOHLCVForSymbols gets closed candles of every symbol over one /market/ws connection', async () => {
    await start();
    const pairs: Array<[string, string]> = [
      ['BTC/USDT:USDT', '1m'],
      ['ETH/USDT:USDT', '1m'],
      ['SOL/USDT:USDT', '1m'],
    ];
    const enough = () => pairs.every(([s, tf]) => (exchange.ohlcvs[s]?.[tf]?.length ?? 0) >= 4);
    const deadline = Date.now() + 15_000;
    while (!enough() && Date.now() < deadline) await exchange.watchOHLCVForSymbols(pairs);
    expect(sim.streams.connectionCount).toBe(1);
    expect(Object.keys(exchange.clients)[0]).toMatch(/\/market\/ws\/\d+$/);
    for (const [symbol, timeframe] of pairs) await expectClosedMatchRest(symbol, timeframe);
  });
});
