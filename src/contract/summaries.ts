/**
 * @module
 * What the Temporal Web UI shows for a cycle, its batches and their
 * activities: one-line summaries (the list and the timeline) and markdown
 * details (the workflow page). Pure text built from plain data, so workflow
 * code can use it too.
 */
import { DEFAULT_TIMEFRAMES, type Timeframe } from '../core/timeframes.js';
import type { Signal } from '../analysis/signal.js';
import type { CycleReport, LedgerHeadline, Progress, ScanInput } from './types.js';

const SYMBOLS_SHOWN = 12;

/** BTC of BTC/USDT:USDT: enough to recognise a symbol in a list. */
export function baseAsset(symbol: string): string {
  return symbol.split('/')[0]!;
}

function timeframeList(timeframes: readonly Timeframe[] | undefined): string {
  return (timeframes && timeframes.length > 0 ? timeframes : DEFAULT_TIMEFRAMES).join(', ');
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

/** How far a running cycle is: 320/530 symbols in 5/9 batches, 2 failed, 12 signals. */
export function progressText(p: Progress): string {
  return `${p.symbolsDone}/${p.symbolsTotal} symbols in ${p.batchesDone}/${p.batchesTotal} batches, ${p.failures} failed, ${p.signals} signals`;
}

/** The running cycle's line on its page (Temporal's "current details"). */
export function progressDetails(p: Progress): string {
  return `**${p.phase}**: ${progressText(p)}`;
}

/** The best few signals in a line: BTC LONG 92, ETH SHORT 80, SOL LONG 75. */
export function bestSignals(signals: readonly Signal[], count = 3): string {
  return signals
    .slice(0, count)
    .map((s) => `${baseAsset(s.symbol)} ${s.direction} ${s.score}`)
    .join(', ');
}

const share = (value: number | null) => (value === null ? '-' : `${(value * 100).toFixed(0)}%`);

/** The ledger's headline in one line: what the Web UI's details and the client's summary show. */
export function ledgerText(h: LedgerHeadline): string {
  return `${h.openSignals} open; last ${h.windowDays} days: ${h.resolved} resolved (${h.targets} target, ${h.stops} stop, ${h.expired} expired, ${h.missing} missing), hit rate ${share(h.hitRate)}, average R ${h.averageR === null ? '-' : h.averageR.toFixed(2)}`;
}

export function reportDetails(report: CycleReport, status: string): string {
  const best = bestSignals(report.signals);
  return [
    `**${status}** in ${(report.durationMs / 1000).toFixed(1)} s: ${report.symbolsScanned}/${report.symbolsRequested} symbols scanned, ${report.failures.length} failed, ${report.signals.length} signals`,
    report.closeTime && report.closeToReportMs !== undefined
      ? `**Close** ${report.closeTime.slice(11, 19)} UTC → report saved ${(report.closeToReportMs / 1000).toFixed(1)} s after it`
      : '',
    best ? `Best: ${best}` : 'No signals.',
    report.ledger ? `**Ledger** ${ledgerText(report.ledger)}` : '',
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

export function storeSummary(batchIndex: number, symbols: number, timeframes: readonly Timeframe[]): string {
  return `Batch ${batchIndex + 1}: candles of ${symbols} symbols × ${timeframeList(timeframes)} from the store`;
}

export function analyzeSummary(batchIndex: number, symbols: number): string {
  return `Batch ${batchIndex + 1}: indicators and signals of ${symbols} symbols`;
}
