import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertPlanner } from '../../src/alerts/plan-alerts.js';
import { alertsWorkflowId } from '../../src/contract/alerts.js';
import { loadConfig } from '../../src/config.js';
import type { OwnedProcess } from '../../src/launcher/child-process.js';
import type { Simulator } from '../../src/simulator/server.js';
import type { QueuedAlert } from '../../src/storage/ledger/ledger.js';
import { alertDelivery } from '../../src/worker/alert-handoff.js';
import { type Receiver, type ReceiverKind, startReceiver } from '../helpers/alert-receivers.js';
import { withLedger } from '../helpers/ledger.js';
import { startTestSimulator } from '../helpers/simulator.js';
import { freshTaskQueue } from '../helpers/temporal-env.js';
import { until } from '../helpers/until.js';
import { report as fixtureReport, signal as fixtureSignal } from '../storage/ledger-fixtures.js';
import {
  chaosDir,
  recordHistories,
  recordTiming,
  RedisProcess,
  sigkill,
  startWorkerProcess,
  TemporalProcess,
} from './harness.js';

/**
 * Alert delivery under the faults that lose or repeat messages elsewhere:
 * the worker SIGKILLed while receivers hold its requests, a 429 storm, a
 * 10-minute outage of every receiver on the simulator's accelerated clock
 * (the ledger's and the alerts' times are the exchange's), and the Temporal
 * server killed and restarted with deliveries pending. Each scenario queues
 * known alerts the way a saved cycle does (the worker's planner, the
 * worker's ledger, a signal-with-start nudge), so that what must arrive is
 * known exactly; e2e/alerts.test.ts shows real cycles queue them. Each ends
 * with every queued alert received exactly once, in order per destination.
 */
const KINDS: ReceiverKind[] = ['telegram', 'discord', 'slack', 'webhook'];
const NAME: Record<ReceiverKind, string> = { telegram: 'tg', discord: 'dc', slack: 'sl', webhook: 'hook' };
const SPEED = 10;

const p95 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? 0;
};

describe('alert delivery under faults', () => {
  let temporal: TemporalProcess;
  let redis: RedisProcess;
  let sim: Simulator;
  const receivers = {} as Record<ReceiverKind, Receiver>;
  const workers: OwnedProcess[] = [];
  const taskQueue = freshTaskQueue('alerts-chaos');
  let env: Record<string, string>;
  let delivery: ReturnType<typeof alertDelivery>;
  let planner: ReturnType<typeof alertPlanner>;
  let cycles = 0;
  /** When each made-up cycle was recorded (real time): its alerts' handoff. */
  const queuedAt = new Map<string, number>();

  const worker = async () => {
    const w = await startWorkerProcess({
      ...env,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      REDIS_URL: redis.url,
      EXCHANGE_URL: sim.url,
      STREAMS: 'off',
      CLOSE_TRIGGER: 'off',
      EXCHANGE_CLOCK_CHECK_MS: '100',
    });
    workers.push(w);
    return w;
  };

  beforeAll(async () => {
    for (const kind of KINDS) receivers[kind] = await startReceiver(kind);
    const alerts = {
      lateAfter: '5m',
      giveUpAfter: '1d',
      destinations: [
        {
          name: 'tg',
          type: 'telegram',
          botToken: '${TG_TOKEN}',
          chatId: receivers.telegram.target.chatId,
          baseUrl: receivers.telegram.target.baseUrl,
        },
        { name: 'dc', type: 'discord', webhookUrl: '${DC_URL}' },
        { name: 'sl', type: 'slack', webhookUrl: '${SL_URL}' },
        { name: 'hook', type: 'webhook', url: receivers.webhook.target.url, secret: '${HOOK_SECRET}' },
      ],
    };
    env = {
      ALERTS: JSON.stringify(alerts),
      TG_TOKEN: receivers.telegram.target.botToken!,
      DC_URL: receivers.discord.target.webhookUrl!,
      SL_URL: receivers.slack.target.webhookUrl!,
      HOOK_SECRET: receivers.webhook.target.secret!,
    };
    temporal = await TemporalProcess.start(chaosDir('alerts'));
    redis = await RedisProcess.start();
    sim = await startTestSimulator({ symbols: 20, speed: SPEED });
    const config = loadConfig(
      { ...process.env, ...env },
      { TEMPORAL_TASK_QUEUE: taskQueue },
      { requireExchangeUrl: false },
    );
    planner = alertPlanner(config.alerts.destinations);
    delivery = alertDelivery(temporal.client.connection, config, pino({ level: 'silent' }));
    await worker();
  }, 300_000);
  afterAll(async () => {
    for (const w of workers) await w.stop().catch(() => undefined);
    await sim?.close();
    await redis?.stop();
    await temporal?.stop();
    for (const receiver of Object.values(receivers)) await receiver?.close();
  });

  /** A cycle of `n` new signals, recorded with the worker's planner as saveReport records it, then nudged. */
  const queue = async (n: number) => {
    const cycleId = `chaos-cycle-${++cycles}`;
    const now = sim.clock.now();
    const signals = Array.from({ length: n }, (_, i) =>
      fixtureSignal(`C${cycles}S${i}/USDT:USDT`, 'LONG', 95 - i),
    );
    const report = fixtureReport(cycleId, now, signals, { closeTime: new Date(now - 2_000).toISOString() });
    await withLedger((ledger) => ledger.recordCycle({ report, outcomes: [], now, alerts: planner }));
    delivery.nudge(Object.values(NAME));
    queuedAt.set(cycleId, Date.now());
    return cycleId;
  };
  const outbox = () => withLedger((ledger) => ledger.alerts({ limit: 100_000 }));
  /** Every receiver holds exactly what the outbox says was sent, once each, in queue order. */
  const expectExactlyOnce = async (scenario: string, cycleIds: string[], started: number) => {
    const rows = await until(async () => {
      const mine = (await outbox()).filter((a) => cycleIds.includes(a.cycleId));
      return mine.length > 0 && mine.every((a) => a.status !== 'pending') && mine;
    }, 300_000);
    expect(
      rows.every((a) => a.status === 'sent'),
      JSON.stringify(rows.filter((a) => a.status !== 'sent')),
    ).toBe(true);
    const figures: Record<string, number | string> = {};
    const latencies: number[] = [];
    for (const kind of KINDS) {
      const expected = rows.filter((a) => a.destination === NAME[kind]).sort((a, b) => a.id - b.id);
      const got = receivers[kind].received.filter(
        (r) => r.at >= started && cycleIds.some((c) => r.body.includes(symbolsOf(c))),
      );
      const symbols = got.map((r) => (/C\d+S\d+/.exec(r.body) ?? [''])[0]);
      const wanted = expected.map(
        (a) => (a.message as { signals: Array<{ symbol: string }> }).signals[0]!.symbol.split('/')[0],
      );
      expect(symbols, `${scenario}: ${kind} in order, once each`).toEqual(wanted);
      figures[`${kind}Expected`] = wanted.length;
      figures[`${kind}Received`] = got.length;
      figures[`${kind}Duplicates`] = got.length - new Set(symbols).size;
      for (const r of got) {
        const cycle = cycleIds.find((c) => r.body.includes(symbolsOf(c)))!;
        latencies.push(r.at - queuedAt.get(cycle)!);
      }
    }
    expect(receivers.webhook.duplicates, `${scenario}: webhook keys seen twice`).toBe(0);
    recordTiming(`alerts: ${scenario}`, {
      ...figures,
      lost: 0,
      // From the cycle's handoff to the receiver's commit (real ms); the close was 2 exchange seconds before.
      p95HandoffToReceiptMs: Math.round(p95(latencies)),
      maxAttempts: Math.max(...rows.map((a: QueuedAlert) => a.attempts)),
    });
    return rows;
  };
  const symbolsOf = (cycleId: string) => `C${cycleId.split('-').at(-1)}S`;
  const failAll = (fault: Parameters<Receiver['fail']>[0]) => KINDS.forEach((k) => receivers[k].fail(fault));
  const healAll = () => KINDS.forEach((k) => receivers[k].heal());

  it('the worker SIGKILLed while receivers hold its requests: a new worker sends each once', async () => {
    const started = Date.now();
    // Every receiver holds the next requests for 4 s before answering: the kill lands mid-send.
    failAll({ type: 'delay', ms: 4_000, times: 2 });
    const attempts = KINDS.map((k) => receivers[k].attempts);
    const cycle = await queue(4);
    await until(() => KINDS.every((k, i) => receivers[k].attempts > attempts[i]!), 60_000);
    await sigkill(workers.at(-1)!);
    await worker();
    await expectExactlyOnce('worker SIGKILLed mid-send', [cycle], started);
  }, 600_000);

  it('a 429 storm: every message waits what it is told, and arrives once, in order', async () => {
    const started = Date.now();
    failAll({ type: 'rate-limit', retryAfterSeconds: 1, times: 12 });
    const cycle = await queue(6);
    const rows = await expectExactlyOnce('429 storm', [cycle], started);
    expect(Math.max(...rows.map((a) => a.attempts))).toBeGreaterThan(1);
    // A delivery history with a kill behind it and retries on their 429 delays: a replay fixture.
    await recordHistories(temporal, [[alertsWorkflowId('hook'), 'deliver-alerts']]);
  }, 600_000);

  it('every receiver down for 10 minutes (accelerated clock): delivered afterwards in order, marked late', async () => {
    const started = Date.now();
    failAll({ type: 'status', status: 503 });
    const outageEnds = sim.clock.now() + 10 * 60_000;
    const first = await queue(3);
    await until(() => sim.clock.now() >= outageEnds - 5 * 60_000, 120_000);
    const second = await queue(3);
    await until(() => sim.clock.now() >= outageEnds, 120_000);
    healAll();
    const rows = await expectExactlyOnce('10-minute outage', [first, second], started);
    // The first cycle's alerts went out 10 exchange minutes after their close: past lateAfter (5m).
    const hooks = receivers.webhook.received
      .filter((r) => r.at >= started)
      .map((r) => r.json as { late: boolean });
    expect(hooks.slice(0, 3).every((h) => h.late)).toBe(true);
    // Each destination's first alert was tried through the outage; the others waited their turn behind it.
    for (const name of Object.values(NAME)) {
      const first = rows.filter((a) => a.destination === name).sort((a, b) => a.id - b.id)[0]!;
      expect(first.attempts, name).toBeGreaterThan(2);
    }
  }, 600_000);

  it('Temporal killed and restarted with deliveries pending: each sent once after it is back', async () => {
    const started = Date.now();
    failAll({ type: 'status', status: 502 });
    const cycle = await queue(4);
    await until(async () => (await outbox()).some((a) => a.cycleId === cycle && a.attempts > 0), 60_000);
    await temporal.kill();
    healAll();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await temporal.restart();
    await expectExactlyOnce('Temporal restarted, deliveries pending', [cycle], started);
  }, 600_000);
});
