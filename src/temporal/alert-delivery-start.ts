/**
 * @module
 * Starting a destination's delivery workflow, or nudging it when it runs:
 * one signal-with-start, for every caller (the worker at start and after each
 * saved cycle, `client alerts retry`), so that each starts it alike.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config.js';
import {
  ALERTS_QUEUED_SIGNAL,
  ALERTS_WORKFLOW_TYPE,
  alertsWorkflowId,
  type DeliverAlertsInput,
} from '../contract/alerts.js';

/** Without a nudge, a delivery workflow looks at its outbox this often. */
export const IDLE_CHECK_MS = 60_000;

/** Signal-with-start of `destination`'s delivery workflow; a destination not configured is skipped. */
export async function nudgeDelivery(
  client: Client,
  config: Pick<Config, 'alerts' | 'TEMPORAL_TASK_QUEUE'>,
  destination: string,
): Promise<void> {
  const configured = config.alerts.destinations.find((d) => d.name === destination);
  if (!configured) return;
  await client.workflow.signalWithStart(ALERTS_WORKFLOW_TYPE, {
    workflowId: alertsWorkflowId(destination),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    args: [
      {
        destination,
        channel: configured.type,
        giveUpAfterMs: config.alerts.giveUpAfterMs,
        idleCheckMs: IDLE_CHECK_MS,
      } satisfies DeliverAlertsInput,
    ],
    signal: ALERTS_QUEUED_SIGNAL,
    signalArgs: [],
    staticSummary: `Alerts to ${destination} (${configured.type})`,
  });
}
