/**
 * @module
 * What crosses workflow history for alert delivery: the delivery
 * workflow's id, input and signal, and the little each activity returns.
 * Messages never do (they stay in the ledger's outbox, by id), and secrets
 * never do (they stay in the worker's configuration, by destination name).
 */

export const ALERTS_WORKFLOW_TYPE = 'deliverAlertsWorkflow';

/** One delivery workflow per destination, running for as long as the destination is configured. */
export function alertsWorkflowId(destination: string): string {
  return `alerts-${destination}`;
}

/** "New alerts are queued for you": a nudge only; the outbox says what. */
export const ALERTS_QUEUED_SIGNAL = 'alertsQueued';

export interface DeliverAlertsInput {
  destination: string;
  /** The destination's channel, for the Web UI's summary. */
  channel: string;
  /** How long an alert is tried before it is given up. */
  giveUpAfterMs: number;
  /** With nothing queued, look at the outbox again after this long even without a nudge. */
  idleCheckMs: number;
  /** Counts carried over continue-as-new, for the workflow's details. */
  sent?: number;
  failed?: number;
}

/** An alert due, as the workflow sees it: its outbox id and a line for the Web UI. */
export interface DueAlert {
  id: number;
  summary: string;
}

export interface DueAlerts {
  /** False when the worker no longer has the destination in its configuration: the workflow ends. */
  configured: boolean;
  alerts: DueAlert[];
}

export interface DeliveryResult {
  /**
   * sent now; found already finished (a retry after a crash, or another
   * worker, got there first); or given up without a try (older than
   * giveUpAfter, or its destination is no longer configured).
   */
  status: 'sent' | 'already sent' | 'already failed' | 'given up';
  attempts: number;
}

export interface GiveUpInput {
  destination: string;
  alertId: number;
  reason: string;
}
