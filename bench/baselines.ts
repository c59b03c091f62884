// The baselines the cycle is measured against, written plainly: ccxt in this
// process, no Temporal, no cache, the same analysis code as the product; one
// symbol after another (sequential), and batches of 64 fetched concurrently
// (batched), as a scanner without this design would do it.
import { indicatorSeries } from '../src/analysis/indicators.js';
import { evaluateSymbol } from '../src/analysis/rules.js';
import { createExchange, type BinanceUsdm } from '../src/exchange/ccxt-factory.js';
import type { Ohlcv } from '../src/core/candles.js';
import type { Timeframe } from '../src/core/timeframes.js';

export interface BaselineRun {
  wallMs: number;
  fetchMs: number;
  analyzeMs: number;
  requests: number;
  signals: number;
}

const TIMEFRAMES: Timeframe[] = ['1h', '15m', '5m'];
const LIMIT = 99;

/** ccxt against the simulator, its throttler off (alone it would take ~80 s for 1,590 requests). */
export async function baselineExchange(url: string): Promise<{ exchange: BinanceUsdm; symbols: string[] }> {
  const exchange = createExchange({ kind: 'simulator', url, enableRateLimit: false, timeoutMs: 30_000 });
  const markets = await exchange.loadMarkets();
  const symbols = Object.values(markets)
    .filter((m) => m?.swap && m.linear && m.settle === 'USDT' && m.active)
    .map((m) => m!.symbol);
  return { exchange, symbols };
}

async function fetchSymbol(exchange: BinanceUsdm, symbol: string): Promise<Record<Timeframe, Ohlcv[]>> {
  const series = {} as Record<Timeframe, Ohlcv[]>;
  for (const timeframe of TIMEFRAMES) {
    // The newest candle is still forming: analysis sees closed candles only.
    series[timeframe] = ((await exchange.fetchOHLCV(symbol, timeframe, undefined, LIMIT)) as Ohlcv[]).slice(
      0,
      -1,
    );
  }
  return series;
}

function analyse(symbol: string, series: Record<Timeframe, Ohlcv[]>): number {
  return evaluateSymbol(symbol, series, TIMEFRAMES).signal ? 1 : 0;
}

/** Phase 2: one symbol after another, each symbol's 3 timeframes fetched, then analysed. */
export async function sequentialBaseline(exchange: BinanceUsdm, symbols: string[]): Promise<BaselineRun> {
  const started = performance.now();
  let fetchMs = 0;
  let analyzeMs = 0;
  let signals = 0;
  for (const symbol of symbols) {
    const t0 = performance.now();
    const series = await fetchSymbol(exchange, symbol);
    const t1 = performance.now();
    signals += analyse(symbol, series);
    fetchMs += t1 - t0;
    analyzeMs += performance.now() - t1;
  }
  const wallMs = performance.now() - started;
  return { wallMs, fetchMs, analyzeMs, requests: symbols.length * TIMEFRAMES.length, signals };
}

/** Phase 3: batches of 64 symbols fetched concurrently (Promise.all), then analysed. */
export async function batchedBaseline(
  exchange: BinanceUsdm,
  symbols: string[],
  batchSize = 64,
): Promise<BaselineRun> {
  const started = performance.now();
  let fetchMs = 0;
  let analyzeMs = 0;
  let signals = 0;
  for (let i = 0; i < symbols.length; i += batchSize) {
    const batch = symbols.slice(i, i + batchSize);
    const t0 = performance.now();
    const fetched = await Promise.all(batch.map((symbol) => fetchSymbolConcurrently(exchange, symbol)));
    const t1 = performance.now();
    batch.forEach((symbol, j) => (signals += analyse(symbol, fetched[j]!)));
    fetchMs += t1 - t0;
    analyzeMs += performance.now() - t1;
  }
  const wallMs = performance.now() - started;
  return { wallMs, fetchMs, analyzeMs, requests: symbols.length * TIMEFRAMES.length, signals };
}

async function fetchSymbolConcurrently(
  exchange: BinanceUsdm,
  symbol: string,
): Promise<Record<Timeframe, Ohlcv[]>> {
  const candles = await Promise.all(
    TIMEFRAMES.map(async (tf) =>
      ((await exchange.fetchOHLCV(symbol, tf, undefined, LIMIT)) as Ohlcv[]).slice(0, -1),
    ),
  );
  return Object.fromEntries(TIMEFRAMES.map((tf, i) => [tf, candles[i]!])) as Record<Timeframe, Ohlcv[]>;
}

/** The universe's candles once (batched), for measuring the analysis alone. */
export async function fetchUniverse(
  exchange: BinanceUsdm,
  symbols: string[],
): Promise<Array<[string, Record<Timeframe, Ohlcv[]>]>> {
  const all: Array<[string, Record<Timeframe, Ohlcv[]>]> = [];
  for (let i = 0; i < symbols.length; i += 64) {
    const batch = symbols.slice(i, i + 64);
    const fetched = await Promise.all(batch.map((symbol) => fetchSymbolConcurrently(exchange, symbol)));
    batch.forEach((symbol, j) => all.push([symbol, fetched[j]!]));
  }
  return all;
}

/**
 * The analysis alone, in this process: every symbol's signal from its three
 * series (what a cycle's analyzeBatch activities compute), and every
 * indicator series of `client indicators` for all of them. Milliseconds per
 * repetition, after one untimed warm-up.
 */
export function analysisSpeed(
  universe: Array<[string, Record<Timeframe, Ohlcv[]>]>,
  repetitions: number,
): { signalsMs: number[]; allIndicatorsMs: number[] } {
  const time = (work: () => void) => {
    const started = performance.now();
    work();
    return performance.now() - started;
  };
  const signals = () => universe.forEach(([symbol, series]) => evaluateSymbol(symbol, series, TIMEFRAMES));
  const indicators = () =>
    universe.forEach(([, series]) => TIMEFRAMES.forEach((tf) => indicatorSeries(series[tf])));
  signals();
  indicators();
  const signalsMs: number[] = [];
  const allIndicatorsMs: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    signalsMs.push(time(signals));
    allIndicatorsMs.push(time(indicators));
  }
  return { signalsMs, allIndicatorsMs };
}
