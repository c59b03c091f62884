import {
  ApplicationFailure,
  executeChild,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities.js';
import { rankSignals } from '../analysis/rank.js';
import { isTimeframe, timeframeMs } from '../scan/timeframes.js';
import { addStats, emptyStats } from '../scan/stats.js';
import {
  type CycleStatus,
  ScanSignals,
  ScanStatus,
  ScanSymbolsFailed,
  ScanSymbolsScanned,
  ScanTrigger,
} from '../scan/search-attributes.js';
import { batchDetails, batchSummary, progressDetails, reportDetails } from '../scan/summaries.js';
import { batchWorkflowId } from '../scan/task-queue.js';
import {
  type BatchResult,
  type CycleReport,
  DEFAULT_BATCH_SIZE,
  DEFAULT_CANDLE_LIMIT,
  DEFAULT_TIMEFRAMES,
  type Progress,
  type ScanInput,
} from '../scan/types.js';
import { progressQuery } from './definitions.js';
import { activityRetry } from './retry-policies.js';
import { scanBatchWorkflow } from './scan-batch.js';

const { listSymbols } = proxyActivities<Activities>({
  summary: 'The universe: trading USD-M perpetuals',
  startToCloseTimeout: '1 minute',
  retry: activityRetry(6),
});

const { saveReport } = proxyActivities<Activities>({
  summary: 'Save the cycle report to Redis',
  startToCloseTimeout: '30 seconds',
  // Redis may be restarting: keep trying for a while, the report is the cycle's product.
  retry: activityRetry(20),
});

function invalid(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'ConfigError');
}

/** Checks the input once: a bad one fails the cycle at once with its reason. */
function normalize(input: ScanInput) {
  const timeframes = input.timeframes ?? DEFAULT_TIMEFRAMES;
  if (timeframes.length === 0 || !timeframes.every((t) => isTimeframe(t)))
    throw invalid(`unsupported timeframes: ${timeframes.join(',')}`);
  const candleLimit = input.candleLimit ?? DEFAULT_CANDLE_LIMIT;
  if (!Number.isInteger(candleLimit) || candleLimit < 60 || candleLimit > 1500)
    throw invalid(`candle limit ${candleLimit} outside 60..1500`);
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000)
    throw invalid(`batch size ${batchSize} outside 1..1000`);
  // Largest timeframe first: trend, then momentum, then trigger.
  const ordered = [...new Set(timeframes)].sort((a, b) => timeframeMs(b) - timeframeMs(a));
  return { timeframes: ordered, candleLimit, batchSize, trigger: input.trigger ?? 'adhoc' };
}

/** The innermost message of a failure chain (child → activity → application failure). */
function rootMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/**
 * One scan cycle: list the universe, scan it in parallel batches (one child
 * workflow each), rank the signals, save the report. A failing symbol or
 * even a failing batch is reported, never fails the cycle.
 */
export async function scanMarketWorkflow(input: ScanInput = {}): Promise<CycleReport> {
  const cycleId = workflowInfo().workflowId;
  const startedAt = Date.now();
  const { timeframes, candleLimit, batchSize, trigger } = normalize(input);
  const progress: Progress = {
    phase: 'listing',
    batchesDone: 0,
    batchesTotal: 0,
    symbolsDone: 0,
    symbolsTotal: 0,
    failures: 0,
    signals: 0,
  };
  setHandler(progressQuery, () => progress);
  // What the Web UI shows on the cycle's page while it runs, and the attributes its list filters on.
  const showProgress = () => setCurrentDetails(progressDetails(progress));
  showProgress();
  upsertSearchAttributes([
    { key: ScanTrigger, value: trigger },
    { key: ScanStatus, value: 'running' satisfies CycleStatus },
  ]);

  // The workflow logger: the worker's JSON logs, with this cycle's id, and silent on replay.
  log.info('cycle started', { trigger, timeframes, candleLimit, batchSize });
  const universe = await listSymbols({ symbols: input.symbols });
  const batches: string[][] = [];
  for (let i = 0; i < universe.symbols.length; i += batchSize)
    batches.push(universe.symbols.slice(i, i + batchSize));
  Object.assign(progress, {
    phase: 'scanning',
    batchesTotal: batches.length,
    symbolsTotal: universe.symbols.length,
    failures: universe.rejected.length,
  });
  showProgress();
  log.info('universe listed', {
    symbols: universe.symbols.length,
    rejected: universe.rejected.length,
    batches: batches.length,
  });

  const results: BatchResult[] = await Promise.all(
    batches.map(async (symbols, batchIndex) => {
      let result: BatchResult;
      try {
        result = await executeChild(scanBatchWorkflow, {
          workflowId: batchWorkflowId(cycleId, batchIndex),
          staticSummary: batchSummary(batchIndex, batches.length, symbols),
          staticDetails: batchDetails(symbols, timeframes),
          args: [{ cycleId, batchIndex, symbols, timeframes, candleLimit }],
        });
      } catch (error) {
        const reason = `batch failed: ${rootMessage(error)}`;
        log.warn('batch failed; its symbols are reported failed', { batch: batchIndex + 1, reason });
        result = {
          batchIndex,
          symbols: symbols.length,
          scanned: 0,
          signals: [],
          failures: symbols.map((symbol) => ({ symbol, reason })),
          stats: emptyStats(),
        };
      }
      progress.batchesDone++;
      progress.symbolsDone += result.symbols;
      progress.failures += result.failures.length;
      progress.signals += result.signals.length;
      showProgress();
      return result;
    }),
  );

  progress.phase = 'ranking';
  const stats = emptyStats();
  for (const r of results) addStats(stats, r.stats);
  const finishedAt = Date.now();
  const report: CycleReport = {
    cycleId,
    trigger,
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(finishedAt).toISOString(),
    durationMs: finishedAt - startedAt,
    timeframes,
    candleLimit,
    batchSize,
    batches: batches.length,
    symbolsRequested: universe.symbols.length + universe.rejected.length,
    symbolsScanned: results.reduce((n, r) => n + r.scanned, 0),
    failures: [...universe.rejected, ...results.flatMap((r) => r.failures)],
    signals: rankSignals(results.flatMap((r) => r.signals)),
    stats,
  };

  progress.phase = 'saving';
  try {
    await saveReport(report);
  } catch (error) {
    // Redis stayed away through every retry: the cycle's result still carries the whole report.
    report.saveError = rootMessage(error);
  }
  progress.phase = 'done';
  const status: CycleStatus = report.stats.cacheDegraded || report.saveError ? 'degraded' : 'completed';
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
  ]);
  return report;
}
