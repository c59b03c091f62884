/**
 * @module
 * The custom search attributes a cycle sets on itself, so a person can
 * filter cycles in the Web UI (`ScanStatus = "degraded"`, `ScanSignals > 0`)
 * and scripts can with `temporal workflow list --query`. Registered on the
 * embedded dev server by its start flags and on any cluster by the worker at
 * start (src/temporal/search-attribute-registration.ts); see docs/operating.md.
 */
import type { CycleReport } from './types.js';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ScanTrigger = defineSearchAttributeKey('ScanTrigger', SearchAttributeType.KEYWORD);
/** running, completed, or degraded (the cache ran without Redis, or the report could not be saved). */
export const ScanStatus = defineSearchAttributeKey('ScanStatus', SearchAttributeType.KEYWORD);
export const ScanSymbolsScanned = defineSearchAttributeKey('ScanSymbolsScanned', SearchAttributeType.INT);
export const ScanSymbolsFailed = defineSearchAttributeKey('ScanSymbolsFailed', SearchAttributeType.INT);
export const ScanSignals = defineSearchAttributeKey('ScanSignals', SearchAttributeType.INT);
/**
 * From the candle close the cycle serves to its saved report, in seconds
 * (exchange clock). A Double: SQL visibility (the dev server's) allows three
 * custom Int attributes per namespace, and the counts above take them.
 */
export const ScanCloseToReport = defineSearchAttributeKey('ScanCloseToReport', SearchAttributeType.DOUBLE);

export const SCAN_SEARCH_ATTRIBUTES = [
  ScanTrigger,
  ScanStatus,
  ScanSymbolsScanned,
  ScanSymbolsFailed,
  ScanSignals,
  ScanCloseToReport,
];

export type CycleStatus = 'running' | 'completed' | 'degraded';

/** A finished cycle's status: degraded when the candle cache ran without Redis or the report was not saved. */
export function finishedStatus(
  report: Pick<CycleReport, 'stats' | 'saveError'>,
): Exclude<CycleStatus, 'running'> {
  return report.stats.cacheDegraded || report.saveError ? 'degraded' : 'completed';
}
