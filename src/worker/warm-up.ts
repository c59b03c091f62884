/**
 * @module
 * What a new worker process runs once before it takes tasks, so that its
 * first cycle costs what a warm one does: the analysis over the series the
 * store holds (V8 compiles the indicators' loops on their first calls) and
 * the ledger's read of the open signals (SQLite's first statements and page
 * cache). Nothing is written, nothing reaches Temporal. The symbols it
 * analysed are the ones the store holds whole (workflow-warm-up.ts scans a
 * batch of the fresh ones); with an empty store (a first start) it analyses
 * made-up series instead, so a cold first cycle's analysis is compiled too.
 */
import type { ActivityDeps } from '../activities/create-activities.js';
import { evaluateSymbol } from '../analysis/rules.js';
import type { Ohlcv } from '../core/candles.js';
import { CANDLE_LIMIT } from '../core/limits.js';
import { timeframeMs, type Timeframe } from '../core/timeframes.js';
import { answersScan, lastOpenOf } from '../market-data/freshness.js';

/** As many made-up symbols as a batch holds: enough calls for V8 to optimise the indicators. */
const MADE_UP_SYMBOLS = 180;

/** A deterministic wave with a drift, shaped like candles; `phase` varies it from symbol to symbol. */
function madeUpSeries(timeframe: Timeframe, phase: number): Ohlcv[] {
  const step = timeframeMs(timeframe);
  return Array.from({ length: CANDLE_LIMIT.default }, (_, i): Ohlcv => {
    const open = 100 + 10 * Math.sin((i + phase) / 7) + i * 0.05 * Math.cos(phase);
    const close = 100 + 10 * Math.sin((i + phase + 1) / 7) + (i + 1) * 0.05 * Math.cos(phase);
    return [
      i * step,
      open,
      Math.max(open, close) + 0.5,
      Math.min(open, close) - 0.5,
      close,
      1_000 + 100 * (i % 9),
    ];
  });
}

/**
 * `fresh`: the analysed symbols whose every series a cycle at `scan.now` (the
 * exchange's clock) would take from the store as it is, `scan.candleLimit`
 * candles long and fresh: what the workflow warm-up may read without fetching.
 */
export async function warmUp(
  deps: Pick<ActivityDeps, 'store' | 'ledger' | 'rules'>,
  symbols: readonly string[],
  timeframes: readonly Timeframe[],
  scan: { now: number; candleLimit: number },
): Promise<{ analysed: string[]; fresh: string[]; ms: number }> {
  const started = Date.now();
  await deps.ledger.openSignals();
  const analysed: string[] = [];
  const fresh: string[] = [];
  for (const symbol of symbols) {
    const series: Partial<Record<Timeframe, Ohlcv[]>> = {};
    let allFresh = true;
    for (const timeframe of timeframes) {
      const stored = await deps.store.get(symbol, timeframe);
      if (!stored) continue;
      series[timeframe] = stored.candles;
      allFresh &&= answersScan(
        stored.candles.length,
        lastOpenOf(stored.candles),
        timeframe,
        scan.candleLimit,
        scan.now,
      );
    }
    if (Object.keys(series).length < timeframes.length) continue;
    evaluateSymbol(symbol, series, timeframes, deps.rules);
    analysed.push(symbol);
    if (allFresh) fresh.push(symbol);
  }
  if (analysed.length === 0)
    for (let phase = 0; phase < MADE_UP_SYMBOLS; phase++) {
      const series = Object.fromEntries(timeframes.map((tf) => [tf, madeUpSeries(tf, phase)]));
      evaluateSymbol(`WARM-UP-${phase}`, series, timeframes, deps.rules);
    }
  return { analysed, fresh, ms: Date.now() - started };
}
