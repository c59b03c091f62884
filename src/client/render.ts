/**
 * @module
 * The client's text output: tables, the report summary, the progress bar.
 */
import cliProgress from 'cli-progress';
import { bestSignals, ledgerText, progressText } from '../contract/summaries.js';
import type { CycleReport, Progress } from '../contract/types.js';
import type { Signal } from '../analysis/signal.js';

/** Fixed-width columns, left-aligned text, right-aligned numbers. */
export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

export function price(value: number): string {
  return value.toPrecision(6).replace(/\.?0+$/, '');
}

export function signalTable(signals: readonly Signal[], max = 20): string {
  if (signals.length === 0) return 'no signals this cycle';
  const rows = signals
    .slice(0, max)
    .map((s, i) => [
      i + 1,
      s.symbol,
      s.direction,
      s.score,
      price(s.price),
      price(s.stop),
      price(s.target),
      s.timeframes.join(','),
      s.reasons.join('; '),
    ]);
  const more = signals.length > max ? `\n… and ${signals.length - max} more (--json for all)` : '';
  return table(['#', 'symbol', 'side', 'score', 'price', 'stop', 'target', 'agree', 'why'], rows) + more;
}

export function summary(report: CycleReport): string {
  const s = report.stats;
  return [
    `cycle ${report.cycleId} (${report.trigger}) ${report.startedAt} → ${(report.durationMs / 1000).toFixed(1)} s`,
    ...(report.closeTime && report.closeToReportMs !== undefined
      ? [`close ${report.closeTime} → report saved ${(report.closeToReportMs / 1000).toFixed(1)} s after it`]
      : []),
    `scanned ${report.symbolsScanned}/${report.symbolsRequested} symbols on ${report.timeframes.join(', ')} in ${report.batches} batches; ` +
      `${report.signals.length} signals, ${report.failures.length} failures`,
    `data: ${s.answers.l1 + s.answers.l2} cache (L1 ${s.answers.l1}, L2 ${s.answers.l2}), ${s.answers.stream} stream, ${s.answers.rest} REST ` +
      `(${s.restRequests} requests, weight ${s.restWeight}, ${s.retries} retries); fetch ${s.fetchMs} ms, analysis ${s.analyzeMs} ms (slowest batch)` +
      (s.cacheDegraded
        ? '\nthe cache ran DEGRADED: Redis was unavailable, data came from memory and REST'
        : ''),
    ...(report.ledger ? [`ledger: ${ledgerText(report.ledger)}`] : []),
  ].join('\n');
}

export function failureLines(report: CycleReport, max = 10): string {
  if (report.failures.length === 0) return '';
  const lines = report.failures.slice(0, max).map((f) => `  ${f.symbol}: ${f.reason}`);
  if (report.failures.length > max) lines.push(`  … and ${report.failures.length - max} more`);
  return `failures:\n${lines.join('\n')}`;
}

/** A live bar on a TTY, updated from the progress query. */
export class ProgressBar {
  private readonly bar = new cliProgress.SingleBar(
    {
      format:
        ' {phase} |{bar}| {value}/{total} symbols | batches {batches} | {failures} failures | {signals} signals',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  private started = false;

  update(progress: Progress): void {
    const payload = {
      phase: progress.phase.padEnd(8),
      batches: `${progress.batchesDone}/${progress.batchesTotal}`,
      failures: progress.failures,
      signals: progress.signals,
    };
    if (!this.started) {
      this.bar.start(Math.max(1, progress.symbolsTotal), progress.symbolsDone, payload);
      this.started = true;
    }
    this.bar.setTotal(Math.max(1, progress.symbolsTotal));
    this.bar.update(progress.symbolsDone, payload);
  }

  stop(): void {
    if (this.started) this.bar.stop();
  }
}

export function progressLine(p: Progress): string {
  return `${p.phase}: ${progressText(p)}`;
}

/** One line per finished cycle, as `npm start` prints them while it runs. */
export function cycleLine(r: CycleReport): string {
  return `${r.finishedAt} ${r.cycleId}: ${r.symbolsScanned} scanned, ${r.signals.length} signals (top: ${bestSignals(r.signals) || '-'}), ${r.failures.length} failures, ${(r.durationMs / 1000).toFixed(1)} s`;
}
