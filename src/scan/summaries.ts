import type { CycleReport, Progress, ScanInput, Timeframe } from './types.js';

/**
 * What the Temporal Web UI shows for a cycle, its batches and their
 * activities: one-line summaries (the list and the timeline) and markdown
 * details (the workflow page). Pure text built from plain data, so workflow
 * code can use it too.
 */

const SYMBOLS_SHOWN = 12;

/** BTC of BTC/USDT:USDT: enough to recognise a symbol in a list. */
function baseAsset(symbol: string): string {
  return symbol.split('/')[0]!;
}

function timeframeList(timeframes: readonly Timeframe[] | undefined): string {
  return timeframes && timeframes.length > 0 ? timeframes.join(', ') : '1h, 15m, 5m';
}

function symbolList(symbols: readonly string[]): string {
  const shown = symbols.slice(0, SYMBOLS_SHOWN).map(baseAsset);
  return symbols.length > SYMBOLS_SHOWN
    ? `${shown.join(', ')} and ${symbols.length - SYMBOLS_SHOWN} more`
    : shown.join(', ');
}

export function cycleSummary(input: ScanInput): string {
  const what = input.symbols ? `${input.symbols.length} symbols` : 'the whole market';
  return `Market scan (${input.trigger ?? 'adhoc'}): ${what} on ${timeframeList(input.timeframes)}`;
}

export function cycleDetails(input: ScanInput): string {
  return [
    `**Trigger:** ${input.trigger ?? 'adhoc'}`,
    `**Symbols:** ${input.symbols ? symbolList(input.symbols) : 'every trading USD-M perpetual'}`,
    `**Timeframes:** ${timeframeList(input.timeframes)}`,
    `**Candles per series:** ${input.candleLimit ?? 'default'}`,
    `**Batch size:** ${input.batchSize ?? 'default'}`,
    '',
    "Progress: the `progress` query, or this page's current details. The report: `npm run client -- report <cycle id>`.",
  ].join('\n');
}

/** The running cycle's line on its page (Temporal's "current details"). */
export function progressDetails(p: Progress): string {
  return `**${p.phase}**: ${p.symbolsDone}/${p.symbolsTotal} symbols in ${p.batchesDone}/${p.batchesTotal} batches, ${p.failures} failed, ${p.signals} signals`;
}

export function reportDetails(report: CycleReport, status: string): string {
  const best = report.signals
    .slice(0, 3)
    .map((s) => `${baseAsset(s.symbol)} ${s.direction} ${s.score}`)
    .join(', ');
  return [
    `**${status}** in ${(report.durationMs / 1000).toFixed(1)} s: ${report.symbolsScanned}/${report.symbolsRequested} symbols scanned, ${report.failures.length} failed, ${report.signals.length} signals`,
    best ? `Best: ${best}` : 'No signals.',
    report.stats.cacheDegraded ? 'The candle cache ran without Redis for part of the cycle.' : '',
    report.saveError ? `The report could not be saved: ${report.saveError}` : '',
  ]
    .filter((line) => line !== '')
    .join('\n\n');
}

export function batchSummary(batchIndex: number, batchesTotal: number, symbols: readonly string[]): string {
  return `Batch ${batchIndex + 1}/${batchesTotal}: ${symbols.length} symbols, ${symbols.length > 0 ? `${baseAsset(symbols[0]!)} … ${baseAsset(symbols.at(-1)!)}` : '- … -'}`;
}

export function batchDetails(symbols: readonly string[], timeframes: readonly Timeframe[]): string {
  return `**Timeframes:** ${timeframeList(timeframes)}\n\n**Symbols (${symbols.length}):** ${symbols.map(baseAsset).join(', ')}`;
}

export function fetchSummary(batchIndex: number, symbols: number, timeframes: readonly Timeframe[]): string {
  return `Batch ${batchIndex + 1}: candles of ${symbols} symbols × ${timeframeList(timeframes)}`;
}

export function analyzeSummary(batchIndex: number, symbols: number): string {
  return `Batch ${batchIndex + 1}: indicators and signals of ${symbols} symbols`;
}
