/**
 * @module
 * What a new worker process runs once before it takes tasks, so that its
 * first cycle costs what a warm one does: the analysis over the series the
 * store holds (V8 compiles the indicators' loops on their first calls) and
 * the ledger's read of the open signals (SQLite's first statements and page
 * cache). Nothing is written, nothing reaches Temporal. The symbols it
 * analysed are the ones the store holds whole (workflow-warm-up.ts scans
 * a batch of them).
 */
import type { ActivityDeps } from '../activities/create-activities.js';
import { evaluateSymbol } from '../analysis/rules.js';
import type { Ohlcv } from '../core/candles.js';
import type { Timeframe } from '../core/timeframes.js';

export async function warmUp(
  deps: Pick<ActivityDeps, 'store' | 'ledger' | 'rules'>,
  symbols: readonly string[],
  timeframes: readonly Timeframe[],
): Promise<{ analysed: string[]; ms: number }> {
  const started = Date.now();
  await deps.ledger.openSignals();
  const analysed: string[] = [];
  for (const symbol of symbols) {
    const series: Partial<Record<Timeframe, Ohlcv[]>> = {};
    for (const timeframe of timeframes) {
      const stored = await deps.store.get(symbol, timeframe);
      if (stored) series[timeframe] = stored.candles;
    }
    if (Object.keys(series).length < timeframes.length) continue;
    evaluateSymbol(symbol, series, timeframes, deps.rules);
    analysed.push(symbol);
  }
  return { analysed, ms: Date.now() - started };
}
