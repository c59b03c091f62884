/**
 * The simulator's candles for the TA-Lib parity fixture
 * (test/fixtures/talib/reference.json; docs/indicator-library.md, "TA-Lib parity").
 *
 * Builds the simulated market deterministically (seed '42', the simulator's
 * default 530 symbols, a clock stopped at 2026-11-24T12:02:30Z) and prints,
 * as JSON on stdout, the closed candles the product would analyse: klines
 * with limit 99 (so 98 after the forming candle is dropped, as
 * src/market-data/candle-pipeline.ts does) on 1h, 15m and 5m, for five
 * leaders and the two lowest-priced symbols of the universe, plus two
 * longer series (limit 301 → 300 closed) for robustness. Each candle is
 * [openTime, open, high, low, close, volume], numbers parsed from the
 * simulator's REST row (prices as strings with the symbol's precision), as
 * ccxt parses them for the product.
 *
 * Regenerate the fixture (TA-Lib 0.8.2 from PyPI, in a venv outside the repo):
 *   python3 -m venv /tmp/talib-venv && /tmp/talib-venv/bin/pip install TA-Lib==0.8.2 numpy
 *   npx tsx scripts/talib/dump-candles.ts > /tmp/talib-candles.json
 *   /tmp/talib-venv/bin/python scripts/talib/reference.py /tmp/talib-candles.json test/fixtures/talib/reference.json
 */
import { SimClock } from '../../src/simulator/clock.js';
import { ExchangeState } from '../../src/simulator/exchange-state.js';
import type { Interval } from '../../src/simulator/intervals.js';
import { klineRow } from '../../src/simulator/rest-api.js';

const SEED = '42';
const SYMBOLS = 530; // simulatorOptionsSchema's default
// A little after the hour, so that every timeframe has a forming candle to drop.
const NOW = Date.parse('2026-11-24T12:02:30Z');
const TIMEFRAMES: Interval[] = ['1h', '15m', '5m'];
const LEADERS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT', 'DOGEUSDT'];
const TINY_COUNT = 2;
const LONG_LIMIT = 301; // 300 closed
const LONG: Interval[] = ['1h', '15m']; // BTCUSDT on the first, the lowest-priced symbol on the second

const clock = new SimClock(1, NOW, () => 0); // stopped: now() is NOW on every call
const state = new ExchangeState(SEED, SYMBOLS, clock);

type Row = [number, number, number, number, number, number];

/** The closed candles of a klines request of `limit`, the forming one dropped, as numbers. */
function closedCandles(symbolId: string, interval: Interval, limit: number): Row[] {
  const symbol = state.live(symbolId);
  if (!symbol) throw new Error(`unknown symbol ${symbolId}`);
  const candles = state.model.klines(symbolId, interval, { limit }, clock.now());
  const last = candles[candles.length - 1];
  if (candles.length !== limit || !last || last.closed)
    throw new Error(`${symbolId} ${interval}: expected ${limit} candles, the last one forming`);
  return candles.slice(0, -1).map((candle) => {
    const row = klineRow(candle, symbol);
    return [0, 1, 2, 3, 4, 5].map((k) => Number(row[k])) as Row;
  });
}

// The lowest-priced USDT perpetuals trading now, by their last 1h close.
const tiny = state.universe
  .filter((s) => s.status === 'TRADING' && s.contractType === 'PERPETUAL' && s.quote === 'USDT')
  .map((s) => ({ id: s.id, price: state.model.klines(s.id, '1h', { limit: 1 }, NOW)[0]?.close ?? Infinity }))
  .sort((a, b) => a.price - b.price)
  .slice(0, TINY_COUNT);
const lowest = tiny[0]!;

const series: Array<{ id: string; symbol: string; timeframe: Interval; kind: string; candles: Row[] }> = [];
const add = (symbol: string, timeframe: Interval, kind: string, limit: number) =>
  series.push({
    id: `${symbol}-${timeframe}-${limit - 1}`,
    symbol,
    timeframe,
    kind,
    candles: closedCandles(symbol, timeframe, limit),
  });
for (const timeframe of TIMEFRAMES) {
  for (const symbol of LEADERS) add(symbol, timeframe, 'leader', 99);
  for (const { id } of tiny) add(id, timeframe, 'tiny', 99);
}
add('BTCUSDT', LONG[0]!, 'long', LONG_LIMIT);
add(lowest.id, LONG[1]!, 'long', LONG_LIMIT);

process.stdout.write(
  `${JSON.stringify({
    generator: 'scripts/talib/dump-candles.ts',
    seed: SEED,
    symbols: SYMBOLS,
    now: new Date(NOW).toISOString(),
    series,
  })}\n`,
);
