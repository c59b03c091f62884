import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The custom search attributes a cycle sets on itself, so a person can
 * filter cycles in the Web UI (`ScanStatus = "degraded"`, `ScanSignals > 0`)
 * and scripts can with `temporal workflow list --query`. Registered on the
 * embedded dev server by its start flags and on any cluster by the worker at
 * start (src/temporal/search-attributes.ts); see README "Operating it".
 */
export const ScanTrigger = defineSearchAttributeKey('ScanTrigger', SearchAttributeType.KEYWORD);
/** running, completed, or degraded (the cache ran without Redis, or the report could not be saved). */
export const ScanStatus = defineSearchAttributeKey('ScanStatus', SearchAttributeType.KEYWORD);
export const ScanSymbolsScanned = defineSearchAttributeKey('ScanSymbolsScanned', SearchAttributeType.INT);
export const ScanSymbolsFailed = defineSearchAttributeKey('ScanSymbolsFailed', SearchAttributeType.INT);
export const ScanSignals = defineSearchAttributeKey('ScanSignals', SearchAttributeType.INT);

export const SCAN_SEARCH_ATTRIBUTES = [
  ScanTrigger,
  ScanStatus,
  ScanSymbolsScanned,
  ScanSymbolsFailed,
  ScanSignals,
];

export type CycleStatus = 'running' | 'completed' | 'degraded';
