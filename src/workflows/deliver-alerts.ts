/**
 * @module
 * One destination's alert delivery: a long-running workflow (one per
 * destination, `alerts-<name>`) that sends what the ledger's outbox holds
 * for it, oldest first, one message at a time, so each destination gets its
 * messages in order and at its channel's pace. A cycle never waits for it:
 * saving the report queues the alerts in the ledger and nudges this
 * workflow with a signal (signal-with-start); the nudge is only a hint, the
 * workflow also looks at the outbox after `idleCheckMs` without one.
 *
 * Each message is one activity, retried with backoff (a 429's retry_after
 * becomes the next retry's delay) until the destination's giveUpAfter; then
 * it is recorded as failed, with why, and the next goes. The activity
 * itself makes the message once-only: it sends only an alert the ledger
 * still holds as pending, and marks it sent at once.
 */
import {
  condition,
  continueAsNew,
  defineSignal,
  type LocalActivityOptions,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { AlertActivities } from '../activities/alert-activities.js';
import { ALERTS_QUEUED_SIGNAL, type DeliverAlertsInput } from '../contract/alerts.js';
import { activityRetry } from './retry-policies.js';
import { rootReason } from './root-message.js';

export const alertsQueued = defineSignal(ALERTS_QUEUED_SIGNAL);

/** Alerts read from the outbox at a time. */
const DUE_BATCH = 50;
/** Past this many events, the workflow starts afresh (continue-as-new) between messages: its state is the ledger's. */
const HISTORY_LIMIT = 4_000;

const outbox = proxyLocalActivities<AlertActivities>({
  summary: 'The outbox: alerts due',
  startToCloseTimeout: '30 seconds',
  retry: activityRetry(20),
} satisfies LocalActivityOptions);

/** The delivery of one alert: its own activity, so the Web UI shows it with its summary and attempts. */
function deliverer(input: DeliverAlertsInput, summary: string) {
  return proxyActivities<AlertActivities>({
    summary: `${summary} → ${input.destination}`,
    // A send waits for the destination's pace (a few seconds at most) and 10 s for an answer; a
    // worker that died mid-send is noticed after this, and the next attempt goes to another.
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: input.giveUpAfterMs,
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      // After an outage, delivery resumes within this.
      maximumInterval: '30 seconds',
    },
  });
}

export async function deliverAlertsWorkflow(input: DeliverAlertsInput): Promise<void> {
  let nudged = false;
  setHandler(alertsQueued, () => {
    nudged = true;
  });
  let sent = input.sent ?? 0;
  let failed = input.failed ?? 0;
  const show = (last?: string) =>
    setCurrentDetails(
      [
        `**Destination:** ${input.destination} (${input.channel})`,
        `**Sent:** ${sent} · **Given up:** ${failed}`,
        ...(last ? [`**Last:** ${last}`] : []),
      ].join('\n\n'),
    );
  show();
  for (let idleRounds = 0; ;) {
    nudged = false;
    const due = await outbox.dueAlerts({ destination: input.destination, limit: DUE_BATCH });
    if (!due.configured) return;
    for (const alert of due.alerts) {
      try {
        const result = await deliverer(input, alert.summary).deliverAlert({
          destination: input.destination,
          alertId: alert.id,
        });
        if (result.status === 'sent' || result.status === 'already sent') sent++;
        else failed++;
        show(`${alert.summary}: ${result.status} (${result.attempts} attempts)`);
      } catch (error) {
        const reason = rootReason(error);
        await outbox.giveUpAlert({ destination: input.destination, alertId: alert.id, reason });
        failed++;
        show(`${alert.summary}: given up: ${reason}`);
      }
    }
    if (due.alerts.length > 0) idleRounds = 0;
    const { historyLength, continueAsNewSuggested } = workflowInfo();
    if (continueAsNewSuggested || historyLength > HISTORY_LIMIT || idleRounds > 500)
      await continueAsNew<typeof deliverAlertsWorkflow>({ ...input, sent, failed });
    if (due.alerts.length < DUE_BATCH) {
      await condition(() => nudged, input.idleCheckMs);
      idleRounds++;
    }
  }
}
