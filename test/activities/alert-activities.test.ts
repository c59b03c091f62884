import { describe, expect, it } from 'vitest';
import { createAlertActivities, type AlertOutbox } from '../../src/activities/alert-activities.js';
import type { AlertMessage } from '../../src/alerts/alert-message.js';
import { DeliveryError, DeliveryRejectedError } from '../../src/core/errors.js';
import type { SendOptions } from '../../src/delivery/alert-sender.js';
import type { QueuedAlert } from '../../src/storage/ledger/ledger.js';
import { testAlerts, webhookEntry } from '../helpers/alert-destinations.js';

const NOW = Date.UTC(2026, 0, 5, 10, 0);
const { destinations } = testAlerts({ destinations: [webhookEntry('hook')] });

function queued(id: number, extra: Partial<QueuedAlert> = {}): QueuedAlert {
  return {
    id,
    key: `hook/signals/${id}`,
    destination: 'hook',
    kind: 'signals',
    cycleId: 'c1',
    signalId: id,
    summary: `LONG S${id} score 80`,
    message: { kind: 'signals', cycleId: 'c1', signals: [] },
    closeTime: NOW - 2_000,
    createdAt: NOW,
    status: 'pending',
    attempts: 0,
    lastError: null,
    finishedAt: null,
    ...extra,
  };
}

/** An outbox in memory, with the ledger's rule: only a pending alert is finished. */
function memoryOutbox(rows: QueuedAlert[]): AlertOutbox & { rows: Map<number, QueuedAlert> } {
  const map = new Map(rows.map((r) => [r.id, { ...r }]));
  const finish = (id: number, set: Partial<QueuedAlert>) => {
    const row = map.get(id);
    if (!row || row.status !== 'pending') return Promise.resolve(false);
    map.set(id, { ...row, ...set });
    return Promise.resolve(true);
  };
  return {
    rows: map,
    dueAlerts: (destination, limit) =>
      Promise.resolve(
        [...map.values()]
          .filter((r) => r.destination === destination && r.status === 'pending')
          .slice(0, limit),
      ),
    alert: (id) => Promise.resolve(map.get(id)),
    markAlertSent: (id, at, attempts) => finish(id, { status: 'sent', finishedAt: at, attempts }),
    markAlertFailed: (id, at, attempts, reason) =>
      finish(id, { status: 'failed', finishedAt: at, attempts, lastError: reason }),
    noteAlertAttempt: (id, attempts, reason) => {
      map.set(id, { ...map.get(id)!, attempts, lastError: reason });
      return Promise.resolve();
    },
  };
}

function setup(
  rows: QueuedAlert[],
  send: (message: AlertMessage) => Promise<void> = () => Promise.resolve(),
) {
  const outbox = memoryOutbox(rows);
  const sent: SendOptions[] = [];
  let clock = NOW + 1_000;
  const activities = createAlertActivities({
    outbox,
    transport: {
      send: async (_destination, message, options) => {
        await send(message);
        sent.push(options);
        return { status: 200, pacedMs: 0 };
      },
    },
    destinations,
    lateAfterMs: 600_000,
    giveUpAfterMs: 3_600_000,
    now: () => clock,
  });
  return { outbox, sent, activities, setClock: (ms: number) => (clock = ms) };
}

describe('alert activities (the outbox decides what is sent)', () => {
  it('sends a pending alert once, with its key as the idempotency key; a second call finds it sent', async () => {
    const { activities, sent, outbox } = setup([queued(1)]);
    expect(await activities.deliverAlert({ destination: 'hook', alertId: 1 })).toEqual({
      status: 'sent',
      attempts: 1,
    });
    expect(await activities.deliverAlert({ destination: 'hook', alertId: 1 })).toEqual({
      status: 'already sent',
      attempts: 1,
    });
    expect(sent).toEqual([{ idempotencyKey: 'hook/signals/1' }]);
    expect(outbox.rows.get(1)).toMatchObject({ status: 'sent', finishedAt: NOW + 1_000 });
  });

  it('a failed send is noted (attempts, reason) and thrown for Temporal to retry; a refusal is non-retryable', async () => {
    const temporary = setup([queued(1)], () => Promise.reject(new DeliveryError('hook: webhook 503')));
    await expect(temporary.activities.deliverAlert({ destination: 'hook', alertId: 1 })).rejects.toThrow(
      /503/,
    );
    expect(temporary.outbox.rows.get(1)).toMatchObject({
      status: 'pending',
      lastError: 'DeliveryError: hook: webhook 503',
    });
    const refused = setup([queued(1)], () => Promise.reject(new DeliveryRejectedError('hook: webhook 404')));
    await expect(refused.activities.deliverAlert({ destination: 'hook', alertId: 1 })).rejects.toMatchObject({
      nonRetryable: true,
      type: 'DeliveryRejectedError',
    });
  });

  it('says late past lateAfter; gives up without a try past giveUpAfter, or for a destination no longer configured', async () => {
    const late = setup([queued(1)]);
    late.setClock(NOW + 15 * 60_000);
    await late.activities.deliverAlert({ destination: 'hook', alertId: 1 });
    expect(late.sent[0]!.lateByMs).toBe(15 * 60_000 + 2_000);

    const old = setup([queued(1)]);
    old.setClock(NOW + 2 * 3_600_000);
    expect(await old.activities.deliverAlert({ destination: 'hook', alertId: 1 })).toMatchObject({
      status: 'given up',
    });
    expect(old.sent).toEqual([]);
    expect(old.outbox.rows.get(1)).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/past giveUpAfter/) as string,
    });

    const gone = setup([queued(1, { destination: 'gone' })]);
    expect(await gone.activities.dueAlerts({ destination: 'gone', limit: 10 })).toEqual({
      configured: false,
      alerts: [],
    });
    expect(await gone.activities.deliverAlert({ destination: 'gone', alertId: 1 })).toMatchObject({
      status: 'given up',
    });
  });

  it('dueAlerts answers ids and summaries only (what crosses history), oldest first', async () => {
    const { activities } = setup([queued(1), queued(2), queued(3, { status: 'sent', finishedAt: NOW })]);
    expect(await activities.dueAlerts({ destination: 'hook', limit: 10 })).toEqual({
      configured: true,
      alerts: [
        { id: 1, summary: 'LONG S1 score 80' },
        { id: 2, summary: 'LONG S2 score 80' },
      ],
    });
  });

  it('giveUpAlert records the reason once', async () => {
    const { activities, outbox } = setup([queued(1)]);
    await activities.giveUpAlert({ destination: 'hook', alertId: 1, reason: 'DeliveryRejectedError: 401' });
    await activities.giveUpAlert({ destination: 'hook', alertId: 1, reason: 'again' });
    expect(outbox.rows.get(1)).toMatchObject({ status: 'failed', lastError: 'DeliveryRejectedError: 401' });
  });
});
