import type { CycleReport } from '../src/contract/types.js';
import { medianOf, spread, type Spread } from './measure.js';

export type RowName = 'sequential' | 'batched' | 'cold' | 'warm' | 'restart' | 'scale-cold' | 'scale-warm';

/** One line of the table and one entry of the JSON's `runs`. */
export interface Row {
  name: RowName;
  symbols: number;
  repetitions: number;
  wallMs: Spread;
  /** Medians. For the product, of the slowest batch (batches run in parallel). */
  fetchMs: number;
  analyzeMs: number;
  restRequests: number;
  restWeight: number;
  /** Cache + stream answers / all answers (median). */
  answerRate: number;
  http429: number;
  http418: number;
  peakRssMb: number;
  signals: number;
}

export interface Repetition {
  wallMs: number;
  fetchMs: number;
  analyzeMs: number;
  restRequests: number;
  restWeight: number;
  answerRate: number;
  signals: number;
  symbols: number;
}

export function fromReport(wallMs: number, report: CycleReport): Repetition {
  const { l1, l2, stream, rest } = report.stats.answers;
  const answers = l1 + l2 + stream + rest;
  return {
    wallMs,
    fetchMs: report.stats.fetchMs,
    analyzeMs: report.stats.analyzeMs,
    restRequests: report.stats.restRequests,
    restWeight: report.stats.restWeight,
    answerRate: answers ? (l1 + l2 + stream) / answers : 0,
    signals: report.signals.length,
    symbols: report.symbolsScanned,
  };
}

export function summarize(
  name: RowName,
  reps: Repetition[],
  extra: { http429: number; http418: number; peakRssMb: number },
): Row {
  const m = (pick: (r: Repetition) => number) => Math.round(medianOf(reps.map(pick)));
  const wall = spread(reps.map((r) => r.wallMs));
  return {
    name,
    symbols: Math.max(...reps.map((r) => r.symbols)),
    repetitions: reps.length,
    wallMs: { min: Math.round(wall.min), median: Math.round(wall.median), max: Math.round(wall.max) },
    fetchMs: m((r) => r.fetchMs),
    analyzeMs: m((r) => r.analyzeMs),
    restRequests: m((r) => r.restRequests),
    restWeight: m((r) => r.restWeight),
    answerRate: Math.round(medianOf(reps.map((r) => r.answerRate)) * 1000) / 1000,
    signals: m((r) => r.signals),
    ...extra,
  };
}
