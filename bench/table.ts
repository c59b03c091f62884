import type { WriteCost } from './ledger-cost.js';
import type { CloseFigures } from './close.js';
import { PHASES } from './cycle-phases.js';
import type { Row } from './rows.js';

const pad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** Text columns: the first `leftColumns` left-aligned, the figures after them right-aligned. */
function columns(header: readonly string[], lines: readonly string[][], leftColumns = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  return [header, ...lines]
    .map((l) => l.map((c, i) => (i < leftColumns ? c.padEnd(widths[i]!) : pad(c, widths[i]!))).join('  '))
    .join('\n');
}

/** The rows side by side, with each wall time as a ratio to the batched baseline. */
export function renderTable(rows: Row[]): string {
  const batched = rows.find((r) => r.name === 'batched')?.wallMs.median;
  const header = [
    'run',
    'symbols',
    'reps',
    'wall min/median/max ms',
    '× batched',
    'fetch ms',
    'analyze ms',
    'REST req',
    'weight',
    'answered',
    '429',
    '418',
    'peak RSS MB',
    'signals',
  ];
  const lines = rows.map((r) => [
    r.name,
    String(r.symbols),
    String(r.repetitions),
    `${r.wallMs.min} / ${r.wallMs.median} / ${r.wallMs.max}`,
    batched ? (r.wallMs.median / batched).toFixed(2) : '-',
    String(r.fetchMs),
    String(r.analyzeMs),
    String(r.restRequests),
    String(r.restWeight),
    `${(r.answerRate * 100).toFixed(1)}%`,
    String(r.http429),
    String(r.http418),
    String(r.peakRssMb),
    String(r.signals),
  ]);
  return columns(header, lines);
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

/** The targets, each as a ratio to baselines measured in the same run. */
export function checkTargets(rows: Row[]): TargetCheck[] {
  const row = (name: Row['name']) => rows.find((r) => r.name === name);
  const checks: TargetCheck[] = [];
  const [seq, batched, cold, warm, restart, scaleCold, scaleWarm] = (
    ['sequential', 'batched', 'cold', 'warm', 'restart', 'scale-cold', 'scale-warm'] as const
  ).map(row);
  if (cold && batched) {
    const ratio = cold.wallMs.median / batched.wallMs.median;
    checks.push({ target: 'cold cycle ≤ 1.3× batched', measured: `${ratio.toFixed(2)}×`, met: ratio <= 1.3 });
  }
  if (cold && seq) {
    const ratio = seq.wallMs.median / cold.wallMs.median;
    checks.push({
      target: 'cold cycle ≥ 20× faster than sequential',
      measured: `${ratio.toFixed(1)}×`,
      met: ratio >= 20,
    });
  }
  if (cold)
    checks.push({
      target: 'cold cycle: 1,590 REST requests, no 429',
      measured: `${cold.restRequests} requests, ${cold.http429} × 429`,
      met: cold.restRequests === 1590 && cold.http429 === 0,
    });
  if (warm && batched)
    checks.push({
      target: 'warm cycle faster than batched, ≤ 1 s',
      measured: `${warm.wallMs.median} ms vs ${batched.wallMs.median} ms`,
      met: warm.wallMs.median < batched.wallMs.median && warm.wallMs.median <= 1000,
    });
  if (warm)
    checks.push({
      target: 'warm cycle ≤ 200 ms',
      measured: `${warm.wallMs.median} ms`,
      met: warm.wallMs.median <= 200,
    });
  if (scaleWarm)
    checks.push({
      target: `${scaleWarm.symbols} symbols warm ≤ 1 s`,
      measured: `${scaleWarm.wallMs.median} ms`,
      met: scaleWarm.wallMs.median <= 1000,
    });
  if (warm && cold)
    checks.push({
      target: 'warm: REST ≤ 2% of cold, answered ≥ 98%, wall ≤ ½ cold',
      measured: `${warm.restRequests} requests, ${(warm.answerRate * 100).toFixed(1)}%, ${(warm.wallMs.median / cold.wallMs.median).toFixed(2)}× cold`,
      met:
        warm.restRequests <= 0.02 * cold.restRequests &&
        warm.answerRate >= 0.98 &&
        warm.wallMs.median <= cold.wallMs.median / 2,
    });
  if (restart && warm) {
    const ratio = restart.wallMs.median / warm.wallMs.median;
    checks.push({
      target: 'first cycle after a restart ≤ 1.2× warm',
      measured: `${ratio.toFixed(2)}×`,
      met: ratio <= 1.2,
    });
  }
  if (warm)
    checks.push({
      target: 'worker with 1,590 live streams < 300 MB RSS',
      measured: `${warm.peakRssMb} MB peak`,
      met: warm.peakRssMb < 300,
    });
  if (scaleCold && cold) {
    const growth = scaleCold.wallMs.median / cold.wallMs.median;
    const linear = scaleCold.symbols / cold.symbols;
    checks.push({
      target: `${scaleCold.symbols} symbols cold: no worse than linear`,
      measured: `${growth.toFixed(2)}× the time for ${linear.toFixed(2)}× the symbols`,
      met: growth <= linear,
    });
  }
  const e418 = rows.reduce((n, r) => n + r.http418, 0);
  checks.push({ target: 'zero 418 anywhere', measured: String(e418), met: e418 === 0 });
  return checks;
}

/** Close → report under each design, side by side. */
export function renderCloseTable(figures: readonly CloseFigures[]): string {
  const header = ['design', 'closes', 'p50 ms', 'p95 ms', 'max ms', 'stream', 'REST'];
  const lines = figures.map((f) => [
    f.design,
    String(f.closes),
    String(f.p50Ms),
    String(f.p95Ms),
    String(f.maxMs),
    String(f.stream),
    String(f.rest),
  ]);
  return columns(header, lines);
}

/** Where each design's close → report goes: medians, from the close, of the moments in its cycles' histories. */
export function renderPhaseTable(figures: readonly CloseFigures[]): string {
  const header = ['design', 'started ms', 'last batch done ms', 'final task started ms', 'completed ms'];
  const lines = figures.map((f) => [f.design, ...PHASES.map((phase) => String(f.phasesP50Ms[phase]))]);
  return columns(header, lines);
}

export function checkCloseTargets(figures: readonly CloseFigures[]): TargetCheck[] {
  const trigger = figures.find((f) => f.design === 'close trigger');
  if (!trigger) return [];
  return [
    {
      target: 'close → report p50 ≤ 2.5 s',
      measured: `${trigger.p50Ms} ms over ${trigger.closes} closes`,
      met: trigger.p50Ms <= 2500,
    },
    { target: 'close → report p95 ≤ 3.0 s', measured: `${trigger.p95Ms} ms`, met: trigger.p95Ms <= 3000 },
  ];
}

/** A warm cycle's wall time with one database behind the worker's ledger. */
export interface LedgerWarm {
  database: 'SQLite' | 'PostgreSQL';
  cycles: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export function renderLedgerTable(costs: readonly WriteCost[], warm: readonly LedgerWarm[]): string {
  const header = [
    'ledger',
    'history',
    'write median ms',
    'write p90 ms',
    'with 80 alerts ms',
    'alert handoff ms',
    'warm cycle median ms',
  ];
  const lines = costs.map((c) => [
    c.database,
    c.history,
    String(c.medianMs),
    String(c.p90Ms),
    String(c.withAlertsMedianMs),
    String(c.alertHandoffMs),
    c.history === 'empty' ? String(warm.find((w) => w.database === c.database)?.medianMs ?? '-') : '',
  ]);
  return columns(header, lines, 2);
}

/** The bound: recording a cycle moves the warm cycle by at most 10 ms. */
export function checkLedgerTargets(costs: readonly WriteCost[]): TargetCheck[] {
  return costs
    .filter((c) => c.history === '30 days')
    .map((c) => ({
      target: `ledger write per cycle ≤ 10 ms (${c.database}, 30 days of history)`,
      measured: `${c.medianMs} ms median, p90 ${c.p90Ms} ms`,
      met: c.medianMs <= 10,
    }))
    .concat(
      costs
        .filter((c) => c.history === '30 days')
        .map((c) => ({
          target: `alert handoff adds < 5 ms to a cycle (${c.database}, 80 alerts queued)`,
          measured: `+${c.alertHandoffMs} ms (median ${c.withAlertsMedianMs} vs ${c.medianMs} ms)`,
          met: c.alertHandoffMs < 5,
        })),
    );
}
