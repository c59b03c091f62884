/**
 * @module
 * The worker's side of alert delivery: one delivery workflow per configured
 * destination, started (or found running) with signal-with-start, which is
 * also how a saved cycle nudges it. A nudge that fails (Temporal away) loses
 * nothing: the alerts are in the ledger's outbox, and the workflow looks
 * there again within its idle check; the worker starts every destination's
 * workflow again at its next start.
 */
import { Client, type ConnectionLike } from '@temporalio/client';
import type { Logger } from 'pino';
import type { AlertHandoff } from '../activities/create-activities.js';
import { alertPlanner } from '../alerts/plan-alerts.js';
import { type Config, cycleUrl } from '../config.js';
import { errorMessage } from '../core/errors.js';
import { nudgeDelivery } from '../temporal/alert-delivery-start.js';

export interface AlertDelivery extends AlertHandoff {
  /** Starts (or finds running) every destination's workflow; resolves when each has answered. */
  startAll(): Promise<void>;
}

export function alertDelivery(connection: ConnectionLike, config: Config, log: Logger): AlertDelivery {
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const { destinations } = config.alerts;
  return {
    planner: alertPlanner(destinations, (cycleId) => cycleUrl(config, cycleId)),
    nudge: (names) => {
      for (const name of names)
        nudgeDelivery(client, config, name).catch((error: unknown) =>
          log.warn(
            { destination: name, err: errorMessage(error) },
            'could not nudge alert delivery; it looks at the outbox within a minute',
          ),
        );
    },
    startAll: async () => {
      await Promise.all(destinations.map((d) => nudgeDelivery(client, config, d.name)));
    },
  };
}
