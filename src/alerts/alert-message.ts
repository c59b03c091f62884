/**
 * @module
 * What an alert says, before any channel's format: plain data, stored in the
 * ledger's outbox when a cycle is recorded and rendered for its destination
 * when it is sent (channels/*.ts). No secret is ever part of it.
 */
import type { OutcomeKind } from '../analysis/outcomes.js';
import type { Direction } from '../analysis/signal.js';
import type { Timeframe } from '../core/timeframes.js';

/** The events a destination can ask for. */
export const ALERT_EVENTS = ['signal', 'outcome', 'cycle'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

/** One new signal, as an alert shows it. */
export interface SignalAlert {
  /** The ledger's id of the signal. */
  signalId: number;
  symbol: string;
  direction: Direction;
  score: number;
  price: number;
  stop: number;
  target: number;
  timeframes: Timeframe[];
  reasons: string[];
  /** Open time of the trigger candle whose close made it, ms. */
  candleTime: number;
}

/** A signal that reached its outcome. */
export interface OutcomeAlert {
  signalId: number;
  symbol: string;
  direction: Direction;
  outcome: OutcomeKind;
  entry: number;
  stop: number;
  target: number;
  /** The exit price; null for `missing` (no exit). */
  exitPrice: number | null;
  /** R multiple of the exit; null for `missing`. */
  rMultiple: number | null;
  /** When the outcome happened (a candle close), ms. */
  outcomeAt: number;
  /** Why, for `missing`. */
  reason: string | null;
}

interface AlertBase {
  /** The cycle that produced it. */
  cycleId: string;
  /** The cycle's page in the Temporal Web UI, when the worker knows the UI's address. */
  cycleUrl?: string;
  /** The candle close the cycle served, ms (exchange clock): what "late" is measured from. */
  closeTime?: number;
}

/** One new signal, or a digest of all the new signals of a cycle for one destination. */
export interface SignalsMessage extends AlertBase {
  kind: 'signals';
  /** By rank; one unless the destination asked for digests. */
  signals: SignalAlert[];
}

export interface OutcomeMessage extends AlertBase {
  kind: 'outcome';
  outcome: OutcomeAlert;
}

/** A cycle that was degraded (symbols failed, the cache ran without Redis) or failed. */
export interface CycleMessage extends AlertBase {
  kind: 'cycle';
  status: 'degraded' | 'failed';
  symbolsRequested: number;
  symbolsScanned: number;
  symbolsFailed: number;
  /** A few failure reasons, for the reader to see what went wrong. */
  reasons: string[];
}

/** `client alerts test <destination>`: proves the destination is reachable and configured. */
export interface TestMessage {
  kind: 'test';
  destination: string;
  /** When it was asked for, ms. */
  sentAt: number;
}

export type AlertMessage = SignalsMessage | OutcomeMessage | CycleMessage | TestMessage;

/** What the sender knows when it renders: how late the message is (only said past the destination's lateAfter). */
export interface RenderContext {
  /** Set when the message goes out later than the destination's lateAfter: ms from the close (or creation) to now. */
  lateByMs?: number;
}
