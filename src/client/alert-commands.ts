/**
 * @module
 * `client alerts`: what the outbox holds (sent, pending with their attempts,
 * given up with why), and `client alerts test <destination>`, which sends a
 * test message straight to a destination and says what its receiver
 * answered, so a token or a webhook URL is checked before a signal needs it;
 * `client alerts retry <id...>` queues given-up alerts again.
 */
import type { TestMessage } from '../alerts/alert-message.js';
import { ConfigError, NotFoundError } from '../core/errors.js';
import { AlertSender } from '../delivery/alert-sender.js';
import { nudgeDelivery } from '../temporal/alert-delivery-start.js';
import { alertSecrets } from '../alerts/destinations.js';
import type { QueuedAlert } from '../storage/ledger/ledger.js';
import type { ClientContext } from './context.js';
import { table } from './render.js';

export interface AlertsOptions {
  failed?: boolean;
  destination?: string;
  limit: number;
  json?: boolean;
}

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

/** alerts: the outbox, newest first. */
export async function listAlerts(ctx: ClientContext, opts: AlertsOptions): Promise<void> {
  const alerts = await (
    await ctx.ledger()
  ).alerts({
    ...(opts.failed ? { status: 'failed' as const } : {}),
    ...(opts.destination ? { destination: opts.destination } : {}),
    limit: opts.limit,
  });
  if (opts.json) return ctx.out(JSON.stringify(alerts, null, 2));
  if (alerts.length === 0) return ctx.out(opts.failed ? 'no failed alerts' : 'no alerts');
  ctx.out(
    table(
      ['id', 'destination', 'status', 'attempts', 'queued', 'finished', 'alert', 'last error'],
      alerts.map((a: QueuedAlert) => [
        a.id,
        a.destination,
        a.status,
        a.attempts,
        iso(a.createdAt),
        iso(a.finishedAt),
        a.summary,
        a.lastError ?? '',
      ]),
    ),
  );
}

/**
 * alerts retry <id...>: failed alerts queued again (after their cause is
 * fixed), and their destinations' delivery nudged. An id that is not a
 * failed alert is said and skipped; none at all is an error.
 */
export async function retryAlerts(
  ctx: ClientContext,
  ids: readonly number[],
  now = Date.now(),
): Promise<void> {
  const ledger = await ctx.ledger();
  const destinations = new Set<string>();
  for (const id of ids) {
    const requeued = await ledger.requeueAlert(id, now);
    if (!requeued) {
      ctx.out(`alert ${id}: not a failed alert, left as it is`);
      continue;
    }
    destinations.add(requeued.destination);
    ctx.out(`alert ${id} (${requeued.destination}: ${requeued.summary}): queued again`);
  }
  if (destinations.size === 0) throw new NotFoundError(`no failed alert among ${ids.join(', ')}`);
  const client = await ctx.temporal();
  for (const destination of destinations) await nudgeDelivery(client, ctx.config, destination);
}

/** alerts test <destination>: one test message, sent now, outside the outbox. */
export async function testAlert(ctx: ClientContext, name: string, now = Date.now()): Promise<void> {
  const { destinations } = ctx.config.alerts;
  if (destinations.length === 0)
    throw new ConfigError('no alert destinations: set ALERTS_FILE or ALERTS (README, "Alerts")');
  const destination = destinations.find((d) => d.name === name);
  if (!destination)
    throw new NotFoundError(
      `no destination "${name}": configured are ${destinations.map((d) => d.name).join(', ')}`,
    );
  const message: TestMessage = { kind: 'test', destination: name, sentAt: now };
  const sent = await new AlertSender(alertSecrets(ctx.config.alerts)).send(destination, message, {
    idempotencyKey: `${name}/test/${now}`,
  });
  ctx.out(`test message sent to ${name} (${destination.type}): the receiver answered ${sent.status}`);
}
