import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertPlanner } from '../../src/alerts/plan-alerts.js';
import { DISCORD_LIMITS } from '../../src/alerts/channels/discord.js';
import { alertsWorkflowId } from '../../src/contract/alerts.js';
import type { CycleReport } from '../../src/contract/types.js';
import { adhocCycleOptions } from '../../src/client/commands.js';
import type { QueuedAlert } from '../../src/storage/ledger/ledger.js';
import { alertDelivery } from '../../src/worker/alert-handoff.js';
import { scanMarketWorkflow } from '../../src/workflows/index.js';
import { type Receiver, type ReceiverKind, startReceiver } from '../helpers/alert-receivers.js';
import { withLedger } from '../helpers/ledger.js';
import { runScript } from '../helpers/run-node.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { until } from '../helpers/until.js';
import { report as fixtureReport, signal as fixtureSignal } from '../storage/ledger-fixtures.js';

/**
 * Alert delivery on real components: the Temporal dev server, a worker, the
 * simulator, and local receivers that answer as Telegram, Discord, Slack and
 * a signed webhook document (test/helpers/alert-receivers.ts). Real cycles
 * make the first alerts; then cycles recorded straight into the worker's
 * ledger (with the worker's planner, as saveReport does) give the faults
 * known messages to lose or repeat, and neither happens.
 */
const KINDS: ReceiverKind[] = ['telegram', 'discord', 'slack', 'webhook'];
const NAMES: Record<ReceiverKind, string> = { telegram: 'tg', discord: 'dc', slack: 'sl', webhook: 'hook' };

describe('alert delivery on real receivers', () => {
  let stack: Stack;
  const receivers = {} as Record<ReceiverKind, Receiver>;
  let secrets: Record<string, string>;
  let delivery: ReturnType<typeof alertDelivery>;

  beforeAll(async () => {
    for (const kind of KINDS) receivers[kind] = await startReceiver(kind);
    secrets = {
      TG_TOKEN: receivers.telegram.target.botToken!,
      DC_URL: receivers.discord.target.webhookUrl!,
      SL_URL: receivers.slack.target.webhookUrl!,
      HOOK_SECRET: receivers.webhook.target.secret!,
      BAD_TOKEN: '999:not-the-bots-token-aaaaaaaaaaaaaaaaaaaaaaaa',
    };
    const alerts = {
      lateAfter: '10m',
      giveUpAfter: '1h',
      destinations: [
        {
          name: 'tg',
          type: 'telegram',
          botToken: '${TG_TOKEN}',
          chatId: receivers.telegram.target.chatId,
          baseUrl: receivers.telegram.target.baseUrl,
          events: ['signal', 'outcome', 'cycle'],
        },
        { name: 'dc', type: 'discord', webhookUrl: '${DC_URL}', digest: true },
        { name: 'sl', type: 'slack', webhookUrl: '${SL_URL}', minScore: 60 },
        { name: 'hook', type: 'webhook', url: receivers.webhook.target.url, secret: '${HOOK_SECRET}' },
        {
          name: 'wrong-token',
          type: 'telegram',
          botToken: '${BAD_TOKEN}',
          chatId: receivers.telegram.target.chatId,
          baseUrl: receivers.telegram.target.baseUrl,
          directions: ['SHORT'],
        },
      ],
    };
    stack = await startStack({
      // A fixed start (its signals then do not follow the wall clock: at some moments 80 symbols give one), 4 min before a 5m close.
      sim: { symbols: 80, latencyMs: 5, startTime: Date.UTC(2026, 0, 5, 10, 1) },
      env: { ALERTS: JSON.stringify(alerts), SCAN_BATCH_SIZE: '40', ...secrets },
    });
    delivery = alertDelivery(stack.env.nativeConnection, stack.config, pino({ level: 'silent' }));
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    for (const receiver of Object.values(receivers)) await receiver?.close();
  });

  const cycle = async (): Promise<CycleReport> =>
    stack.env.client.workflow.execute(scanMarketWorkflow, {
      ...adhocCycleOptions(stack.config.TEMPORAL_TASK_QUEUE, `scan-adhoc-alerts-${Date.now()}`, {
        trigger: 'adhoc',
      }),
    });
  const outbox = (destination?: string) =>
    withLedger((ledger) => ledger.alerts({ ...(destination ? { destination } : {}), limit: 10_000 }));
  const settled = (destination: string, count: number) =>
    until(async () => {
      const rows = (await outbox(destination)).filter((a) => a.status !== 'pending');
      return rows.length >= count && rows;
    }, 60_000);
  /** The symbols a receiver's messages name, in arrival order (one per message). */
  const textOf = (kind: ReceiverKind) => receivers[kind].received.map((r) => JSON.stringify(r.json));

  it('each new signal of a real cycle reaches each destination once, by its filters, in rank order', async () => {
    const first = await cycle();
    expect(first.signals.length).toBeGreaterThan(1);
    const ranked = first.signals.map((s) => s.symbol);
    const strong = first.signals.filter((s) => s.score >= 60).map((s) => s.symbol);
    const shorts = first.signals.filter((s) => s.direction === 'SHORT').length;

    await settled('tg', ranked.length);
    await settled('hook', ranked.length);
    await settled('dc', 1);
    await settled('sl', strong.length);
    // What a trader waits for, measured (not asserted): from the cycle's saved report (the handoff) to the
    // receiver's commit, per destination: its first message, and its last (paced by the channel's limit).
    const rows = await outbox();
    const handoff: Record<string, { first: number; last: number }> = {};
    for (const name of Object.values(NAMES)) {
      const ages = rows
        .filter((a) => a.destination === name && a.cycleId === first.cycleId)
        .map((a) => a.finishedAt! - a.createdAt);
      handoff[name] = { first: Math.min(...ages), last: Math.max(...ages) };
    }
    console.log(JSON.stringify({ alertsHandoffToDeliveredMs: handoff, signals: ranked.length }));
    expect(receivers.telegram.received).toHaveLength(ranked.length);
    expect(receivers.webhook.received).toHaveLength(ranked.length);
    expect(receivers.discord.received).toHaveLength(1); // the digest
    expect(receivers.slack.received).toHaveLength(strong.length);
    // In rank order: the i-th message names the i-th signal.
    textOf('telegram').forEach((text, i) => expect(text).toContain(ranked[i]!.split('/')[0]));
    const hooks = receivers.webhook.received.map(
      (r) => r.json as { message: { signals: Array<{ symbol: string }> } },
    );
    expect(hooks.map((h) => h.message.signals[0]!.symbol)).toEqual(ranked);
    // The digest: one embed per signal in rank order, as many as Discord's limits hold (10 embeds,
    // 6000 characters), and how many did not fit in its content.
    const digest = receivers.discord.received[0]!.json as {
      content: string;
      embeds: Array<{ title: string }>;
    };
    expect(digest.embeds.length).toBeGreaterThan(0);
    expect(digest.embeds.length).toBeLessThanOrEqual(Math.min(ranked.length, DISCORD_LIMITS.embeds));
    digest.embeds.forEach((embed, i) => expect(embed.title).toContain(ranked[i]));
    const cut = ranked.length - digest.embeds.length;
    if (cut > 0) expect(digest.content).toContain(`… and ${cut} more signal`);
    // A link to the cycle in the Web UI.
    expect((hooks[0]!.message as { cycleUrl?: string }).cycleUrl).toContain(`/workflows/${first.cycleId}`);

    // The wrong token: refused for good (401), given up with the receiver's reason; nothing retried forever.
    if (shorts > 0) {
      const failed = await settled('wrong-token', shorts);
      expect(failed.every((a) => a.status === 'failed' && /Unauthorized/.test(a.lastError ?? ''))).toBe(true);
    }

    // The next cycle sees the same signals again: they are not new, nothing more is sent.
    const second = await cycle();
    const seen = new Set(first.signals.map((s) => `${s.symbol}/${s.direction}`));
    const fresh = second.signals.filter((s) => !seen.has(`${s.symbol}/${s.direction}`));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(receivers.webhook.received).toHaveLength(ranked.length + fresh.length);
    expect(receivers.webhook.duplicates).toBe(0);
    expect(receivers.telegram.duplicates).toBe(0);
  }, 180_000);

  it('nothing secret reaches workflow history or the ledger, and the Web UI shows each delivery', async () => {
    const secretValues = Object.values(secrets);
    for (const name of Object.values(NAMES)) {
      const handle = stack.env.client.workflow.getHandle(alertsWorkflowId(name));
      const history = JSON.stringify(await handle.fetchHistory());
      for (const secret of secretValues) expect(history).not.toContain(secret);
      const described = await handle.describe();
      expect(await described.staticSummary()).toMatch(new RegExp(`^Alerts to ${name} \\(`));
    }
    const rows = JSON.stringify(await outbox());
    for (const secret of secretValues) expect(rows).not.toContain(secret);
    // Each delivery is an activity with its own summary: the alert and where it goes.
    const history = await stack.env.client.workflow.getHandle(alertsWorkflowId('hook')).fetchHistory();
    const summaries = (history.events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverAlert')
      .map((e) => e.userMetadata?.summary?.data);
    expect(summaries.length).toBeGreaterThan(0);
    expect(Buffer.from(summaries[0]!).toString()).toMatch(/(LONG|SHORT) .* score \d+ → hook/);
  });

  /** Queues a made-up cycle's alerts as saveReport does (same planner, same ledger), and nudges delivery. */
  const queue = async (cycleId: string, symbols: string[]) => {
    const report = fixtureReport(
      cycleId,
      Date.now(),
      symbols.map((s, i) => fixtureSignal(s, 'LONG', 90 - i)),
      {
        closeTime: new Date(Date.now() - 2_000).toISOString(),
      },
    );
    const planner = alertPlanner(stack.config.alerts.destinations);
    const recorded = await withLedger((ledger) =>
      ledger.recordCycle({ report, outcomes: [], now: Date.now(), alerts: planner }),
    );
    delivery.nudge(recorded.alertDestinations);
    return recorded;
  };
  const received = (kind: ReceiverKind) =>
    receivers[kind].received.map((r) => r.json as { message: { signals: Array<{ symbol: string }> } });

  it('a receiver down for a while: delivery retries with backoff, then sends everything, in order, once', async () => {
    const before = receivers.webhook.received.length;
    receivers.webhook.fail({ type: 'status', status: 503 });
    const symbols = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE'].map((s) => `${s}/USDT:USDT`);
    try {
      await queue('outage-1', symbols.slice(0, 3));
      await queue('outage-2', symbols.slice(3));
      await until(() => receivers.webhook.attempts > before + 3, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      expect(receivers.webhook.received.length).toBe(before);
    } finally {
      // Even when the outage was not seen as expected: the later tests need the receiver up.
      receivers.webhook.heal();
    }
    const hooks = await until(() => {
      const got = received('webhook').slice(before);
      return got.length >= symbols.length && got;
    }, 60_000);
    expect(hooks.map((h) => h.message.signals[0]!.symbol)).toEqual(symbols);
    expect(receivers.webhook.duplicates).toBe(0);
    // Each is recorded as sent just after its receipt.
    const rows = await until(async () => {
      const outage = (await outbox('hook')).filter((a) => a.cycleId.startsWith('outage-'));
      return outage.every((a) => a.status === 'sent') && outage;
    });
    expect(rows).toHaveLength(symbols.length);
    expect(Math.max(...rows.map((a) => a.attempts))).toBeGreaterThan(1);
    const metrics = await stack.worker.metrics.registry.getSingleMetricAsString(
      'scanner_alerts_retried_total',
    );
    expect(metrics).toMatch(/destination="hook"} [1-9]/);
  }, 120_000);

  it('a 429 is waited out for as long as the receiver asked (Telegram retry_after, Discord Retry-After)', async () => {
    const tgBefore = receivers.telegram.received.length;
    const dcBefore = receivers.discord.received.length;
    const tgAttempts = receivers.telegram.attempts;
    receivers.telegram.fail({ type: 'rate-limit', retryAfterSeconds: 3, times: 1 });
    receivers.discord.fail({ type: 'rate-limit', retryAfterSeconds: 2, times: 1 });
    const asked = Date.now();
    await queue('limited-1', ['FFF/USDT:USDT', 'GGG/USDT:USDT']);
    await until(() => receivers.telegram.received.length >= tgBefore + 2, 60_000);
    await until(() => receivers.discord.received.length >= dcBefore + 1, 60_000);
    // The first message waited the whole retry_after, and none was refused again meanwhile.
    expect(receivers.telegram.received[tgBefore]!.at - asked).toBeGreaterThanOrEqual(3_000);
    expect(receivers.discord.received[dcBefore]!.at - asked).toBeGreaterThanOrEqual(2_000);
    // One refusal (the 429), then the two messages: nothing sent early into the receiver's limit.
    expect(receivers.telegram.attempts - tgAttempts).toBe(3);
  }, 90_000);

  it('client alerts lists the outbox; --failed shows a refused alert and why; retry sends it once; test sends a test message', async () => {
    const env = {
      TEMPORAL_ADDRESS: stack.env.address,
      TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
      ALERTS: JSON.stringify({
        destinations: [
          { name: 'hook', type: 'webhook', url: receivers.webhook.target.url, secret: '${HOOK_SECRET}' },
        ],
      }),
      HOOK_SECRET: secrets.HOOK_SECRET,
    };
    const listed = await runScript('src/client.ts', ['alerts', '--json', '--limit', '1000'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as QueuedAlert[]).length).toBe((await outbox()).length);

    // The receiver refuses one for good (404: a webhook that moved): given up at once, with why.
    receivers.webhook.fail({ type: 'status', status: 404, times: 1 });
    const received = receivers.webhook.received.length;
    await queue('refused-1', ['HHH/USDT:USDT']);
    const [refused] = await until(async () => {
      const rows = (await outbox('hook')).filter((a) => a.cycleId === 'refused-1' && a.status === 'failed');
      return rows.length > 0 && rows;
    });
    expect(refused!.lastError).toMatch(/^DeliveryRejectedError: hook: webhook 404/);
    const failedRun = await runScript('src/client.ts', ['alerts', '--failed', '--json'], env);
    expect(failedRun.code, failedRun.stderr).toBe(0);
    const failed = JSON.parse(failedRun.stdout) as QueuedAlert[];
    expect(failed.map((a) => a.id)).toContain(refused!.id);
    expect(failed.every((a) => a.status === 'failed')).toBe(true);
    const table = await runScript('src/client.ts', ['alerts', '--failed', '--destination', 'hook'], env);
    expect(table.stdout).toMatch(/LONG HHH\/USDT:USDT score 90 .*webhook 404/);

    // Fixed: queued again, sent once.
    const retried = await runScript('src/client.ts', ['alerts', 'retry', String(refused!.id)], env);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toMatch(new RegExp(`alert ${refused!.id} \\(hook: .*\\): queued again`));
    // The receiver has the message before the activity records it as sent: wait for the ledger.
    const sent = await until(async () => {
      const row = await withLedger((ledger) => ledger.alert(refused!.id));
      return row?.status === 'sent' && row;
    });
    expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
    expect(receivers.webhook.received.slice(received).map((r) => r.body.includes('HHH'))).toEqual([true]);
    const again = await runScript('src/client.ts', ['alerts', 'retry', String(refused!.id)], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no failed alert among/);
    const bad = await runScript('src/client.ts', ['alerts', 'retry', 'x1'], env);
    expect(bad.code).toBe(2);

    const before = receivers.webhook.received.length;
    const test = await runScript('src/client.ts', ['alerts', 'test', 'hook'], env);
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toMatch(/test message sent to hook \(webhook\): the receiver answered 200/);
    expect(receivers.webhook.received.length).toBe(before + 1);
    expect(receivers.webhook.received.at(-1)!.json).toMatchObject({
      type: 'test',
      message: { destination: 'hook' },
    });

    const unknown = await runScript('src/client.ts', ['alerts', 'test', 'nope'], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/no destination "nope"/);
  }, 90_000);
});
