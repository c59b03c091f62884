import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { CandlePipeline } from '../../src/market-data/candle-pipeline.js';
import { createExchangeStack, type ExchangeStack } from '../../src/market-data/exchange-stack.js';
import type { Simulator } from '../../src/simulator/server.js';
import { startTestSimulator } from '../helpers/simulator.js';

const MINUTE = 60_000;
const LIMIT = 60;
const SYMBOLS = ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT', 'XRP/USDT:USDT'];

/**
 * Reads just after a close, at real clock speed, on the simulator's streams
 * (final klines 2 s ± 0.4 s late, as on Binance's futures) and a real Redis:
 * a read waits for the final kline on its way, to its deadline, not longer.
 */
describe('a store read just after a close waits for the final kline', () => {
  let sim: Simulator;
  let stack: ExchangeStack;
  let close: number;

  beforeAll(async () => {
    // The exchange's clock a few seconds before a minute's close: time to seed and subscribe first.
    sim = await startTestSimulator({ symbols: 10, startTime: Date.UTC(2026, 0, 5, 10, 0, 54) });
    const config = loadConfig(
      {},
      {
        EXCHANGE: 'simulator',
        EXCHANGE_URL: sim.url,
        STREAMS: 'on',
        SCAN_TIMEFRAMES: '1m',
        SCAN_CANDLE_LIMIT: String(LIMIT),
        EXCHANGE_CLOCK_CHECK_MS: '1000',
      },
    );
    expect(config.STREAM_FINAL_WAIT_MS).toBe(3_000);
    stack = await createExchangeStack(config, { streams: true });
    // Streams extend what REST seeded.
    for (const symbol of SYMBOLS) await stack.pipeline.series(symbol, '1m', LIMIT);
    stack.streams!.follow(SYMBOLS);
    expect(await stack.streams!.whenLive(5_000)).toBe(true);
    // The next close at least a moment away (a slow setup waits for the one after).
    close = Math.ceil((sim.clock.now() + 500) / MINUTE) * MINUTE;
  }, 30_000);
  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  it('answers each series from the stream the moment its final arrives, without REST; a shorter deadline gives up', async () => {
    while (sim.clock.now() < close) await new Promise((r) => setTimeout(r, 5));
    const klines = () => sim.stats.byPath['/fapi/v1/klines'] ?? 0;
    const restBefore = klines();
    const impatient = new CandlePipeline(stack.store, stack.market, {
      streams: stack.streams,
      finalWaitMs: 1_000,
    });
    const read = async (pipeline: CandlePipeline, symbol: string) => {
      const answer = await pipeline.fromStore(symbol, '1m', LIMIT);
      return { answer, afterClose: sim.clock.now() - close };
    };
    const [patient, hurried] = await Promise.all([
      Promise.all(SYMBOLS.map((s) => read(stack.pipeline, s))),
      Promise.all(SYMBOLS.map((s) => read(impatient, s))),
    ]);
    for (const { answer, afterClose } of patient) {
      expect(answer?.tier).toBe('stream');
      expect(answer?.candles).toHaveLength(LIMIT - 1);
      // The candle that just closed is there: it waited for it (its final was sent 1.6 to 2.4 s late).
      expect(answer?.candles.at(-1)![0]).toBe(close - MINUTE);
      expect(afterClose).toBeGreaterThanOrEqual(1_500);
      expect(afterClose).toBeLessThan(3_000);
    }
    for (const { answer, afterClose } of hurried) {
      // Its deadline (1 s after the close) passed before the final came: no answer, REST's turn.
      expect(answer).toBeUndefined();
      expect(afterClose).toBeGreaterThanOrEqual(900);
      expect(afterClose).toBeLessThan(1_500);
    }
    expect(klines() - restBefore).toBe(0);
  }, 90_000);

  it('does not wait for a series no stream follows, nor once the deadline is past', async () => {
    const started = Date.now();
    // 5m is not streamed here, and its store entry is missing: nothing to wait for.
    expect(await stack.pipeline.fromStore('BTC/USDT:USDT', '5m', LIMIT)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(500);
  });
});
