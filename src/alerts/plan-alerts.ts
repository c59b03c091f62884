/**
 * @module
 * Which alerts a recorded cycle queues, for which destination: pure, from
 * what the ledger wrote (the signals the cycle saw first, the outcomes it
 * applied) and each destination's filters. A signal still seen in later
 * cycles is not new, so it is never planned twice; each alert's key
 * (destination/kind/subject) is its idempotency key from here to the
 * receiver.
 */
import type { Outcome } from '../analysis/outcomes.js';
import type { Direction, Signal } from '../analysis/signal.js';
import type { CycleReport } from '../contract/types.js';
import type { AlertMessage, OutcomeAlert, SignalAlert } from './alert-message.js';
import type { Destination } from './destinations.js';

/** A cycle is reported degraded when more than this share of its symbols failed (a few delistings are normal). */
export const DEGRADED_FAILURE_SHARE = 0.05;
const REASONS_SHOWN = 3;

/** An alert a cycle queues for one destination. */
export interface PlannedAlert {
  /** destination/kind/subject: unique, and the message's idempotency key. */
  key: string;
  destination: string;
  kind: Exclude<AlertMessage['kind'], 'test'>;
  cycleId: string;
  /** The signal it is about (the first of a digest); null for a cycle's message. */
  signalId: number | null;
  /** One line: the Web UI's activity summary and `client alerts`. */
  summary: string;
  message: Exclude<AlertMessage, { kind: 'test' }>;
  closeTime: number | null;
}

/** A signal that a cycle's follow-up resolved, as the ledger holds it. */
export interface ResolvedSignal {
  id: number;
  symbol: string;
  direction: Direction;
  entry: number;
  stop: number;
  target: number;
  firstScore: number;
  outcome: Outcome | null;
}

export interface CycleWrites {
  report: CycleReport;
  /** The signals this cycle saw first, by rank, with their ledger ids. */
  newSignals: ReadonlyArray<Signal & { id: number }>;
  /** The signals whose outcome this cycle applied. */
  resolved: readonly ResolvedSignal[];
}

export type AlertPlanner = (writes: CycleWrites) => PlannedAlert[];

/** The planner of a configuration: the destinations, and where the Web UI shows a cycle. */
export function alertPlanner(
  destinations: readonly Destination[],
  cycleUrl?: (cycleId: string) => string,
): AlertPlanner {
  return (writes) => destinations.flatMap((d) => planFor(d, writes, cycleUrl));
}

function wants(d: Destination, s: { symbol: string; direction: Direction }): boolean {
  return d.directions.includes(s.direction) && (!d.symbols || d.symbols.includes(s.symbol));
}

/** A cycle's health as an alert sees it: failed when nothing was scanned, degraded when much failed or the cache ran without Redis. */
export function cycleHealth(report: CycleReport): 'ok' | 'degraded' | 'failed' {
  if (report.symbolsRequested > 0 && report.symbolsScanned === 0) return 'failed';
  if (report.stats.cacheDegraded) return 'degraded';
  return report.failures.length > DEGRADED_FAILURE_SHARE * report.symbolsRequested ? 'degraded' : 'ok';
}

function signalAlert(s: Signal & { id: number }): SignalAlert {
  return {
    signalId: s.id,
    symbol: s.symbol,
    direction: s.direction,
    score: s.score,
    price: s.price,
    stop: s.stop,
    target: s.target,
    timeframes: s.timeframes,
    reasons: s.reasons,
    candleTime: s.candleTime,
  };
}

function outcomeAlert(s: ResolvedSignal & { outcome: Outcome }): OutcomeAlert {
  const { outcome } = s;
  return {
    signalId: s.id,
    symbol: s.symbol,
    direction: s.direction,
    outcome: outcome.kind,
    entry: s.entry,
    stop: s.stop,
    target: s.target,
    exitPrice: outcome.price,
    rMultiple: outcome.rMultiple,
    outcomeAt: outcome.at,
    reason: outcome.kind === 'missing' ? outcome.reason : null,
  };
}

function planFor(
  d: Destination,
  { report, newSignals, resolved }: CycleWrites,
  cycleUrl?: (cycleId: string) => string,
): PlannedAlert[] {
  const { cycleId } = report;
  const closeTime = report.closeTime === undefined ? null : Date.parse(report.closeTime);
  const base = {
    cycleId,
    ...(cycleUrl ? { cycleUrl: cycleUrl(cycleId) } : {}),
    ...(closeTime === null ? {} : { closeTime }),
  };
  const planned: PlannedAlert[] = [];
  const alert = (
    kind: PlannedAlert['kind'],
    subject: string | number,
    rest: Omit<PlannedAlert, 'key' | 'destination' | 'kind' | 'cycleId' | 'closeTime'>,
  ) =>
    planned.push({
      key: `${d.name}/${kind}/${subject}`,
      destination: d.name,
      kind,
      cycleId,
      closeTime,
      ...rest,
    });

  if (d.events.includes('signal')) {
    const chosen = newSignals.filter((s) => s.score >= d.minScore && wants(d, s));
    const one = (s: Signal & { id: number }) =>
      alert('signals', s.id, {
        signalId: s.id,
        summary: `${s.direction} ${s.symbol} score ${s.score}`,
        message: { kind: 'signals', ...base, signals: [signalAlert(s)] },
      });
    if (d.digest && chosen.length > 1)
      alert('signals', `cycle-${cycleId}`, {
        signalId: chosen[0]!.id,
        summary: `${chosen.length} new signals: ${chosen
          .slice(0, 3)
          .map((s) => `${s.direction} ${s.symbol}`)
          .join(', ')}${chosen.length > 3 ? ', …' : ''}`,
        message: { kind: 'signals', ...base, signals: chosen.map(signalAlert) },
      });
    else chosen.forEach(one);
  }
  if (d.events.includes('outcome')) {
    for (const s of resolved) {
      // Outcomes follow the signals the destination was sent.
      if (!s.outcome || s.firstScore < d.minScore || !wants(d, s)) continue;
      alert('outcome', s.id, {
        signalId: s.id,
        summary: `${s.direction} ${s.symbol}: ${s.outcome.kind}`,
        message: { kind: 'outcome', ...base, outcome: outcomeAlert({ ...s, outcome: s.outcome }) },
      });
    }
  }
  const health = cycleHealth(report);
  if (d.events.includes('cycle') && health !== 'ok') {
    alert('cycle', cycleId, {
      signalId: null,
      summary: `cycle ${health}: ${report.symbolsScanned}/${report.symbolsRequested} scanned`,
      message: {
        kind: 'cycle',
        ...base,
        status: health,
        symbolsRequested: report.symbolsRequested,
        symbolsScanned: report.symbolsScanned,
        symbolsFailed: report.failures.length,
        reasons: [...new Set(report.failures.map((f) => f.reason))].slice(0, REASONS_SHOWN),
      },
    });
  }
  return planned;
}
