/**
 * @module
 * The delivery workflow's activities: read a destination's outbox, send one
 * alert, give one up. Sending is once-only by the ledger: an alert is sent
 * only while its row is pending, and marked sent as soon as the receiver
 * took it. What remains is the moment between the receiver's answer and
 * that mark (a worker killed then sends it again on retry): a few
 * milliseconds, and for the webhook channel not even that, since its
 * receiver sees the same Idempotency-Key on both.
 */
import { Context } from '@temporalio/activity';
import type { AlertMessage } from '../alerts/alert-message.js';
import type { Destination } from '../alerts/destinations.js';
import type { DeliveryResult, DueAlerts, GiveUpInput } from '../contract/alerts.js';
import { reasonOf } from '../core/errors.js';
import type { SendOptions, Sent } from '../delivery/alert-sender.js';
import type { Ledger, QueuedAlert } from '../storage/ledger/ledger.js';
import { activityLog, atTheBoundary } from './activity-context.js';

/** The outbox, as delivery uses it. */
export type AlertOutbox = Pick<
  Ledger,
  'dueAlerts' | 'alert' | 'markAlertSent' | 'markAlertFailed' | 'noteAlertAttempt'
>;

export interface AlertTransport {
  send(destination: Destination, message: AlertMessage, options: SendOptions): Promise<Sent>;
}

export interface AlertMetrics {
  alertSent(alert: QueuedAlert, now: number): void;
  alertRetried(destination: string): void;
  alertFailed(destination: string): void;
  alertQueue(destination: string, oldestCreatedAt: number | undefined, now: number): void;
}

export interface AlertDeps {
  outbox: AlertOutbox;
  transport: AlertTransport;
  destinations: readonly Destination[];
  /** A message sent later than this after its close (or its queueing) says it is late. */
  lateAfterMs: number;
  /** Past this age an alert is given up without another try. */
  giveUpAfterMs: number;
  /** The clock alerts are dated by (the ledger's: the exchange's). */
  now?: () => number | Promise<number>;
  metrics?: AlertMetrics;
}

/** Marking an alert sent is retried in the activity: a retry of the activity would send it again. */
const MARK_ATTEMPTS = 5;

function attemptOf(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1; // called directly (tests)
  }
}

export function createAlertActivities(deps: AlertDeps) {
  const now = async () => (deps.now ? deps.now() : Date.now());
  const byName = new Map(deps.destinations.map((d) => [d.name, d]));

  async function dueAlerts(input: { destination: string; limit: number }): Promise<DueAlerts> {
    if (!byName.has(input.destination)) return { configured: false, alerts: [] };
    const due = await deps.outbox.dueAlerts(input.destination, input.limit);
    deps.metrics?.alertQueue(input.destination, due[0]?.createdAt, await now());
    return { configured: true, alerts: due.map((a) => ({ id: a.id, summary: a.summary })) };
  }

  async function markSent(alert: QueuedAlert, attempts: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await deps.outbox.markAlertSent(alert.id, await now(), attempts);
        return;
      } catch (error) {
        if (attempt >= MARK_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  async function deliverAlert(input: { destination: string; alertId: number }): Promise<DeliveryResult> {
    const attempts = attemptOf();
    const alert = await deps.outbox.alert(input.alertId);
    if (!alert || alert.status === 'failed') return { status: 'already failed', attempts };
    if (alert.status === 'sent') return { status: 'already sent', attempts };
    const destination = byName.get(input.destination);
    const started = await now();
    const from = alert.closeTime ?? alert.createdAt;
    if (!destination || started - alert.createdAt > deps.giveUpAfterMs) {
      const reason = destination
        ? `given up: queued ${Math.round((started - alert.createdAt) / 60_000)} min ago, past giveUpAfter`
        : `given up: ${input.destination} is no longer configured`;
      await deps.outbox.markAlertFailed(alert.id, started, attempts, reason);
      deps.metrics?.alertFailed(input.destination);
      return { status: 'given up', attempts };
    }
    const lateByMs = started - from > deps.lateAfterMs ? started - from : undefined;
    try {
      await deps.transport.send(destination, alert.message, {
        idempotencyKey: alert.key,
        ...(lateByMs === undefined ? {} : { lateByMs }),
      });
    } catch (error) {
      const reason = reasonOf(error);
      activityLog('warn', 'alert not delivered', {
        destination: destination.name,
        alert: alert.key,
        attempts,
        reason,
      });
      deps.metrics?.alertRetried(destination.name);
      await deps.outbox.noteAlertAttempt(alert.id, attempts, reason).catch(() => undefined);
      throw error;
    }
    await markSent(alert, attempts);
    deps.metrics?.alertSent(alert, await now());
    return { status: 'sent', attempts };
  }

  async function giveUpAlert(input: GiveUpInput): Promise<void> {
    const alert = await deps.outbox.alert(input.alertId);
    if (await deps.outbox.markAlertFailed(input.alertId, await now(), alert?.attempts ?? 0, input.reason)) {
      deps.metrics?.alertFailed(input.destination);
      activityLog('warn', 'alert given up', {
        destination: input.destination,
        alert: alert?.key,
        reason: input.reason,
      });
    }
  }

  return {
    dueAlerts: atTheBoundary(dueAlerts),
    deliverAlert: atTheBoundary(deliverAlert),
    giveUpAlert: atTheBoundary(giveUpAlert),
  };
}

export type AlertActivities = ReturnType<typeof createAlertActivities>;
