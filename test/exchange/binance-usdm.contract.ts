import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MarketInterface } from 'ccxt';
import type { BinanceUsdm } from '../../src/exchange/ccxt-factory.js';

/**
 * What the product relies on from a Binance USDⓈ-M exchange, through
 * unmodified ccxt. Every implementation (the simulator here; the real
 * exchange where a network allows) must pass the same suite.
 */
export interface ContractTarget {
  exchange: BinanceUsdm;
  /** Exact number of active USDT perpetuals, where the implementation fixes it. */
  expectedPerpetuals?: number;
  close(): Promise<void>;
}

const TIMEFRAME_MS: Record<string, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 };

type Ohlcv = [number, number, number, number, number, number];

export function describeBinanceUsdmContract(name: string, setup: () => Promise<ContractTarget>): void {
  describe(`Binance USDⓈ-M contract: ${name}`, () => {
    let target: ContractTarget;
    let exchange: BinanceUsdm;
    let perpetuals: string[];

    beforeAll(async () => {
      target = await setup();
      exchange = target.exchange;
      const markets = await exchange.loadMarkets();
      perpetuals = Object.values(markets)
        .filter((m) => m?.active && m.swap && m.linear && m.quote === 'USDT' && m.settle === 'USDT')
        .map((m) => m!.symbol);
    });
    afterAll(async () => {
      await target?.close();
    });

    it('lists active linear USDT perpetuals with precision and limits', () => {
      if (target.expectedPerpetuals !== undefined) expect(perpetuals).toHaveLength(target.expectedPerpetuals);
      else expect(perpetuals.length).toBeGreaterThan(100);
      expect(perpetuals).toContain('BTC/USDT:USDT');
      const btc = exchange.market('BTC/USDT:USDT');
      expect(btc.id).toBe('BTCUSDT');
      expect(btc.precision.price).toBeGreaterThan(0);
      expect(btc.precision.amount).toBeGreaterThan(0);
      expect(btc.contract && btc.linear && !btc.inverse).toBe(true);
    });

    it('filters out what is not an active USDT perpetual', () => {
      const markets = Object.values(exchange.markets as Record<string, MarketInterface>);
      const others = markets.filter((m) => !perpetuals.includes(m.symbol));
      for (const m of others) expect(!m.active || !m.swap || m.quote !== 'USDT').toBe(true);
    });

    for (const timeframe of ['1h', '15m', '5m']) {
      it(`fetchOHLCV ${timeframe} limit 99: 99 ascending, evenly spaced, consistent candles`, async () => {
        const candles = (await exchange.fetchOHLCV('ETH/USDT:USDT', timeframe, undefined, 99)) as Ohlcv[];
        expect(candles).toHaveLength(99);
        const step = TIMEFRAME_MS[timeframe]!;
        candles.forEach(([t, o, h, l, c, v], i) => {
          expect(t % step).toBe(0);
          if (i > 0) expect(t - candles[i - 1]![0]).toBe(step);
          expect(l).toBeLessThanOrEqual(Math.min(o, c));
          expect(h).toBeGreaterThanOrEqual(Math.max(o, c));
          expect(l).toBeGreaterThan(0);
          expect(v).toBeGreaterThanOrEqual(0);
        });
        // The last candle is the one forming now.
        const serverTime = await exchange.fetchTime();
        expect(candles.at(-1)![0]).toBeLessThanOrEqual(serverTime!);
        expect(candles.at(-1)![0] + step).toBeGreaterThan(serverTime! - 5_000);
      });
    }

    it('a closed 1h candle aggregates its twelve 5m candles', async () => {
      const hours = (await exchange.fetchOHLCV('BTC/USDT:USDT', '1h', undefined, 3)) as Ohlcv[];
      const hour = hours[0]!;
      const fives = (await exchange.fetchOHLCV('BTC/USDT:USDT', '5m', hour[0], 12)) as Ohlcv[];
      expect(fives).toHaveLength(12);
      expect(fives[0]![0]).toBe(hour[0]);
      expect(fives[0]![1]).toBe(hour[1]);
      expect(Math.max(...fives.map((f) => f[2]))).toBe(hour[2]);
      expect(Math.min(...fives.map((f) => f[3]))).toBe(hour[3]);
      expect(fives[11]![4]).toBe(hour[4]);
      const volume = fives.reduce((sum, f) => sum + f[5], 0);
      expect(volume).toBeCloseTo(hour[5], 2);
    });

    it('fetchTime answers the server clock', async () => {
      const time = await exchange.fetchTime();
      expect(typeof time).toBe('number');
      expect(Math.abs(time! - Date.now())).toBeLessThan(10 * 60_000 * 10_000); // any sane epoch ms
    });

    it('fetchTickers answers every listed market with 24h statistics', async () => {
      const tickers = await exchange.fetchTickers();
      for (const symbol of perpetuals.slice(0, 50)) expect(tickers[symbol]).toBeDefined();
      const btc = tickers['BTC/USDT:USDT']!;
      expect(btc.last).toBeGreaterThan(0);
      expect(btc.quoteVolume).toBeGreaterThan(0);
      expect(btc.high).toBeGreaterThanOrEqual(btc.low!);
    });

    it('watchOHLCVForSymbols receives klines for many symbols over one connection', async () => {
      const symbols = perpetuals.slice(0, 40);
      // A watch resolves with the first update of a burst; ccxt keeps every
      // update in exchange.ohlcvs, which is where a stream consumer reads.
      const received = () => symbols.filter((s) => (exchange.ohlcvs[s]?.['1m']?.length ?? 0) > 0);
      const deadline = Date.now() + 20_000;
      while (received().length < symbols.length && Date.now() < deadline) {
        await exchange.watchOHLCVForSymbols(symbols.map((s) => [s, '1m']));
      }
      expect(received()).toEqual(symbols);
      expect(Object.keys(exchange.clients)).toHaveLength(1);
      const [t, o, h, l, c] = exchange.ohlcvs['BTC/USDT:USDT']!['1m']!.at(-1)! as Ohlcv;
      expect(t % 60_000).toBe(0);
      expect(l).toBeLessThanOrEqual(Math.min(o, c));
      expect(h).toBeGreaterThanOrEqual(Math.max(o, c));
    });
  });
}
