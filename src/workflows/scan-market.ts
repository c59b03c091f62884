/**
 * @module
 * The cycle workflow: list the universe, scan it in parallel batches (one
 * child workflow each), rank the signals, save the report. A failing symbol
 * or even a failing batch is reported, never fails the cycle. Each cycle
 * knows the candle close it serves, and says how long after that close its
 * report was saved. Since the patch LOCAL_ACTIVITIES the listing and the
 * report are local activities (no task of their own).
 */
import {
  executeChild,
  type LocalActivityOptions,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities.js';
import { rankSignals } from '../analysis/rank.js';
import { addStats, emptyStats } from '../contract/batch-stats.js';
import { batchWorkflowId } from '../contract/ids.js';
import {
  type CycleStatus,
  finishedStatus,
  ScanCloseToReport,
  ScanSignals,
  ScanStatus,
  ScanSymbolsFailed,
  ScanSymbolsScanned,
  ScanTrigger,
} from '../contract/search-attributes.js';
import { batchDetails, batchSummary, reportDetails } from '../contract/summaries.js';
import type { BatchResult, CycleReport, SaveResult, ScanInput, Universe } from '../contract/types.js';
import { timeframeMs } from '../core/timeframes.js';
import { type CycleSettings, cycleSettings } from './cycle-input.js';
import { CycleProgress } from './cycle-progress.js';
import { LOCAL_ACTIVITIES } from './patches.js';
import { activityRetry } from './retry-policies.js';
import { rootMessage } from './root-message.js';
import { scanBatchWorkflow } from './scan-batch.js';

const { listSymbols } = proxyActivities<Activities>({
  summary: 'The universe: trading USD-M perpetuals',
  startToCloseTimeout: '1 minute',
  retry: activityRetry(6),
});

const SAVE_OPTIONS = {
  summary: 'Save the cycle report',
  startToCloseTimeout: '30 seconds',
  // Redis may be restarting: keep trying for a while, the report is the cycle's product.
  retry: activityRetry(20),
} as const;

const { saveReport } = proxyActivities<Activities>(SAVE_OPTIONS);

// Proxies: their functions exist only when asked for by name (they cannot be spread).
const localListing = proxyLocalActivities<Activities>({
  summary: 'The universe: trading USD-M perpetuals',
  startToCloseTimeout: '1 minute',
  retry: activityRetry(6),
} satisfies LocalActivityOptions);
const localReport = proxyLocalActivities<Activities>({
  ...SAVE_OPTIONS,
  // Past a few seconds, back off on durable timers rather than hold the workflow task.
  localRetryThreshold: '5 seconds',
} satisfies LocalActivityOptions);

/** The close of `timeframe` at or before `time` (ms): the candle close a cycle listed at `time` serves. */
function closeAtOrBefore(time: number, timeframe: CycleSettings['timeframes'][number]): number {
  const step = timeframeMs(timeframe);
  return Math.floor(time / step) * step;
}

function inBatches(symbols: readonly string[], size: number): string[][] {
  const batches: string[][] = [];
  for (let i = 0; i < symbols.length; i += size) batches.push(symbols.slice(i, i + size));
  return batches;
}

/** One batch child; a batch that fails as a whole turns into a failure for each of its symbols. */
async function scanBatch(
  cycleId: string,
  settings: CycleSettings,
  batches: string[][],
  batchIndex: number,
): Promise<BatchResult> {
  const symbols = batches[batchIndex]!;
  const { timeframes, candleLimit } = settings;
  try {
    return await executeChild(scanBatchWorkflow, {
      workflowId: batchWorkflowId(cycleId, batchIndex),
      staticSummary: batchSummary(batchIndex, batches.length, symbols),
      staticDetails: batchDetails(symbols, timeframes),
      args: [{ cycleId, batchIndex, symbols, timeframes, candleLimit }],
    });
  } catch (error) {
    const reason = `batch failed: ${rootMessage(error)}`;
    log.warn('batch failed; its symbols are reported failed', { batch: batchIndex + 1, reason });
    const failures = symbols.map((symbol) => ({ symbol, reason }));
    return { batchIndex, symbols: symbols.length, scanned: 0, signals: [], failures, stats: emptyStats() };
  }
}

function assembleReport(
  cycleId: string,
  settings: CycleSettings,
  startedAt: number,
  universe: Universe,
  results: readonly BatchResult[],
  closeTime: number | undefined,
): CycleReport {
  const stats = emptyStats();
  for (const r of results) addStats(stats, r.stats);
  const finishedAt = Date.now();
  return {
    cycleId,
    trigger: settings.trigger,
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(finishedAt).toISOString(),
    durationMs: finishedAt - startedAt,
    timeframes: settings.timeframes,
    candleLimit: settings.candleLimit,
    batchSize: settings.batchSize,
    batches: results.length,
    symbolsRequested: universe.symbols.length + universe.rejected.length,
    symbolsScanned: results.reduce((n, r) => n + r.scanned, 0),
    failures: [...universe.rejected, ...results.flatMap((r) => r.failures)],
    signals: rankSignals(results.flatMap((r) => r.signals)),
    stats,
    wholeUniverse: settings.wholeUniverse,
    ...(closeTime === undefined ? {} : { closeTime: new Date(closeTime).toISOString() }),
  };
}

export async function scanMarketWorkflow(input: ScanInput = {}): Promise<CycleReport> {
  const cycleId = workflowInfo().workflowId;
  const startedAt = Date.now();
  const settings = cycleSettings(input);
  const progress = new CycleProgress();
  upsertSearchAttributes([
    { key: ScanTrigger, value: settings.trigger },
    { key: ScanStatus, value: 'running' satisfies CycleStatus },
  ]);
  // The workflow logger: the worker's JSON logs, with this cycle's id, and silent on replay.
  const { trigger, timeframes, candleLimit, batchSize } = settings;
  log.info('cycle started', { trigger, timeframes, candleLimit, batchSize });

  const locally = patched(LOCAL_ACTIVITIES);
  const universe = await (locally ? localListing.listSymbols : listSymbols)({ symbols: input.symbols });
  // The close it serves: the one its starter saw (the close trigger), else the latest by the exchange's clock.
  const triggerTimeframe = settings.timeframes.at(-1)!;
  const closeTime =
    input.closeTime ??
    (universe.exchangeTime === undefined
      ? undefined
      : closeAtOrBefore(universe.exchangeTime, triggerTimeframe));
  const batches = inBatches(universe.symbols, batchSize);
  progress.scanning(batches.length, universe.symbols.length, universe.rejected.length);
  log.info('universe listed', {
    symbols: universe.symbols.length,
    rejected: universe.rejected.length,
    batches: batches.length,
  });
  const results = await Promise.all(
    batches.map(async (_, batchIndex) => {
      const result = await scanBatch(cycleId, settings, batches, batchIndex);
      progress.batchDone(result);
      return result;
    }),
  );

  progress.enter('ranking');
  const report = assembleReport(cycleId, settings, startedAt, universe, results, closeTime);
  progress.enter('saving');
  try {
    // Histories recorded before the patch saved nothing back (undefined).
    const saved: SaveResult | undefined = await (locally ? localReport.saveReport : saveReport)(report);
    if (saved?.closeToReportMs !== undefined) report.closeToReportMs = saved.closeToReportMs;
    if (saved?.ledger) report.ledger = saved.ledger;
  } catch (error) {
    // The ledger stayed away through every retry: the cycle's result still carries the whole report.
    report.saveError = rootMessage(error);
  }
  progress.enter('done');
  const status = finishedStatus(report);
  setCurrentDetails(reportDetails(report, status));
  log.info('cycle finished', {
    status,
    durationMs: report.durationMs,
    scanned: report.symbolsScanned,
    failed: report.failures.length,
    signals: report.signals.length,
  });
  upsertSearchAttributes([
    { key: ScanStatus, value: status },
    { key: ScanSymbolsScanned, value: report.symbolsScanned },
    { key: ScanSymbolsFailed, value: report.failures.length },
    { key: ScanSignals, value: report.signals.length },
    // Histories recorded before the close was known carry no figure (the upsert stays one command).
    ...(report.closeToReportMs === undefined
      ? []
      : [{ key: ScanCloseToReport, value: report.closeToReportMs / 1000 }]),
  ]);
  return report;
}
