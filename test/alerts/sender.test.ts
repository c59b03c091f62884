/**
 * The alert sender (src/delivery/alert-sender.ts) against the local
 * receivers of test/helpers/alert-receivers.ts, which answer as Telegram,
 * Discord, Slack and the generic webhook do: what is delivered and
 * committed, how each answer becomes DeliveryError /
 * DeliveryRateLimitedError / DeliveryRejectedError, the pace it keeps (its
 * own spacing, a 429's wait, Discord's "remaining 0"), and that no error
 * ever carries a secret. The Pacer is also tested on its own, on a clock the
 * test moves.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertMessage, SignalsMessage } from '../../src/alerts/alert-message.js';
import {
  alertSecrets,
  type AlertsConfig,
  type Destination,
  type DestinationType,
  parseAlerts,
  TELEGRAM_CHAT_INTERVAL_MS,
} from '../../src/alerts/destinations.js';
import { DeliveryError, DeliveryRateLimitedError, DeliveryRejectedError } from '../../src/core/errors.js';
import { AlertSender, type SendOptions } from '../../src/delivery/alert-sender.js';
import { Pacer } from '../../src/delivery/pacer.js';
import { type Receiver, type ReceiverKind, startReceiver } from '../helpers/alert-receivers.js';

// --- fixtures -------------------------------------------------------------------------------------------

const CLOSE = Date.UTC(2026, 0, 5, 10, 0);
const KINDS: DestinationType[] = ['telegram', 'discord', 'slack', 'webhook'];

const MESSAGE: SignalsMessage = {
  kind: 'signals',
  cycleId: 'scan-2026-01-05T10:00',
  cycleUrl: 'http://localhost:8233/namespaces/default/workflows/scan-2026-01-05T10%3A00',
  closeTime: CLOSE,
  signals: [
    {
      signalId: 11,
      symbol: 'BTC/USDT:USDT',
      direction: 'LONG',
      score: 80,
      price: 65_000.5,
      stop: 64_000.25,
      target: 67_000,
      timeframes: ['1h', '15m', '5m'],
      reasons: ['1h trend up', '15m RSI14 61.2'],
      candleTime: CLOSE - 300_000,
    },
  ],
};

let sequence = 0;
/** A message that differs from the last one (the chat receivers count identical bodies as duplicates). */
function message(): AlertMessage {
  sequence += 1;
  return { ...MESSAGE, signals: [{ ...MESSAGE.signals[0]!, signalId: sequence }] };
}

const key = (): SendOptions => ({ idempotencyKey: `dest/signals/${sequence}` });

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function receiver(kind: ReceiverKind): Promise<Receiver> {
  const r = await startReceiver(kind);
  open.push(r);
  return r;
}

interface Setup {
  receiver: Receiver;
  destination: Destination;
  config: AlertsConfig;
  /** What no error may contain: the secrets configured and the receiver's own, the URL path that holds one. */
  forbidden: string[];
}

const SECRET_ENV = { telegram: 'TG_TOKEN', discord: 'DISCORD_URL', slack: 'SLACK_URL', webhook: 'HOOK_HMAC' };

/** The destination entry of `kind`, pointed at `target`, its secret read from SECRET_ENV[kind]. */
function entry(kind: DestinationType, target: Record<string, string>, extra: Record<string, unknown>) {
  const secret = `\${${SECRET_ENV[kind]}}`;
  switch (kind) {
    case 'telegram':
      return { type: kind, botToken: secret, chatId: target.chatId, baseUrl: target.baseUrl, ...extra };
    case 'discord':
    case 'slack':
      return { type: kind, webhookUrl: secret, ...extra };
    case 'webhook':
      return { type: kind, url: target.url, secret, ...extra };
  }
}

function secretOf(kind: DestinationType, target: Record<string, string>): string {
  switch (kind) {
    case 'telegram':
      return target.botToken!;
    case 'discord':
    case 'slack':
      return target.webhookUrl!;
    case 'webhook':
      return target.secret!;
  }
}

/** The parts of a secret that must not show: itself, a URL's path, each long segment (a token). */
function secretParts(secret: string): string[] {
  const parts = [secret, ...secret.split(/[/:]/).filter((p) => p.length >= 16)];
  try {
    const url = new URL(secret);
    parts.push(url.pathname);
  } catch {
    // not a URL
  }
  return parts;
}

/**
 * A destination of `kind` for `r`, built as the worker builds it (parseAlerts),
 * with `secret` in its environment (default: the receiver's own).
 */
function destinationFor(
  r: Receiver,
  {
    name = 'dest',
    secret,
    extra = {},
  }: { name?: string; secret?: string; extra?: Record<string, unknown> } = {},
): Setup {
  const kind = r.kind;
  const value = secret ?? secretOf(kind, r.target);
  const config = parseAlerts(
    { destinations: [{ name, ...entry(kind, r.target, extra) }] },
    { [SECRET_ENV[kind]]: value },
    'ALERTS',
  );
  const forbidden = [...new Set([...secretParts(value), ...secretParts(secretOf(kind, r.target))])];
  if (kind === 'telegram') forbidden.push(`/bot${value}`, `/bot${r.target.botToken}`);
  return { receiver: r, destination: config.destinations[0]!, config, forbidden };
}

async function setup(
  kind: ReceiverKind,
  options: Parameters<typeof destinationFor>[1] = {},
): Promise<Setup & { sender: AlertSender; pacer: Pacer }> {
  const s = destinationFor(await receiver(kind), options);
  const pacer = new Pacer();
  return { ...s, pacer, sender: new AlertSender(alertSecrets(s.config), pacer, 300) };
}

/** The error `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('expected the send to fail');
}

function expectNoSecret(error: Error, forbidden: readonly string[]): void {
  for (const part of forbidden) expect(error.message).not.toContain(part);
  expect(error.message).not.toMatch(/[\r\n]/);
}

// --- delivery -------------------------------------------------------------------------------------------

describe('AlertSender: delivery', () => {
  it.each(KINDS)('delivers a message to %s, committed once', async (kind) => {
    const { receiver: r, destination, sender } = await setup(kind);
    const sent = await sender.send(destination, MESSAGE, { idempotencyKey: 'dest/signals/11' });
    expect(sent.status).toBe(200);
    expect(sent.pacedMs).toBeLessThan(50); // no wait: only the clock's ticks
    expect(r.attempts).toBe(1);
    expect(r.received).toHaveLength(1);
    expect(r.duplicates).toBe(0);
    const got = r.received[0]!;
    switch (kind) {
      case 'telegram': {
        const params = got.json as Record<string, unknown>;
        expect(got.path).toBe(`/bot${r.target.botToken}/sendMessage`);
        expect(params).toMatchObject({ chat_id: r.target.chatId, parse_mode: 'HTML' });
        expect(params.text).toContain('BTC/USDT:USDT');
        break;
      }
      case 'discord': {
        expect(got.path).toBe(`${new URL(r.target.webhookUrl!).pathname}?wait=true`);
        const body = got.json as { embeds: Array<{ title: string }>; allowed_mentions: unknown };
        expect(body.embeds).toHaveLength(1);
        expect(body.embeds[0]!.title).toContain('BTC/USDT:USDT');
        expect(body.allowed_mentions).toEqual({ parse: [] });
        break;
      }
      case 'slack': {
        expect(got.path).toBe(new URL(r.target.webhookUrl!).pathname);
        const body = got.json as { text: string; blocks: unknown[] };
        expect(body.text).toContain('BTC/USDT:USDT');
        expect(body.blocks.length).toBeGreaterThan(1);
        break;
      }
      case 'webhook': {
        expect(got.key).toBe('dest/signals/11');
        expect(got.json).toMatchObject({
          id: 'dest/signals/11',
          type: 'signals',
          late: false,
          message: MESSAGE,
        });
        break;
      }
    }
  });

  it('says when a message goes out late', async () => {
    const { receiver: r, destination, sender } = await setup('webhook');
    await sender.send(destination, MESSAGE, { idempotencyKey: 'dest/signals/11', lateByMs: 900_000 });
    expect(r.received[0]!.json).toMatchObject({ late: true });
  });

  it('delivers an answer that comes late but within the timeout', async () => {
    const { receiver: r, destination, sender } = await setup('slack');
    r.fail({ type: 'delay', ms: 100, times: 1 });
    await expect(sender.send(destination, message(), key())).resolves.toMatchObject({ status: 200 });
    expect(r.received).toHaveLength(1);
  });
});

// --- answers -------------------------------------------------------------------------------------------

describe('AlertSender: a 429 is waited for', () => {
  /** The 429 said how long; the pacer holds the destination that long, and the next send waits for it. */
  async function expectRateLimit(kind: ReceiverKind, retryAfterSeconds: number, retryAfterMs: number) {
    const { receiver: r, destination, sender, pacer, forbidden } = await setup(kind);
    r.fail({ type: 'rate-limit', retryAfterSeconds, times: 1 });
    const started = Date.now();
    const error = await rejection(sender.send(destination, message(), key()));
    expect(error).toBeInstanceOf(DeliveryRateLimitedError);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryRateLimitedError).temporary).toBe(true);
    expect((error as DeliveryRateLimitedError).retryAfterMs).toBe(retryAfterMs);
    expect(error.message).toMatch(new RegExp(`^dest: ${kind} 429`));
    expectNoSecret(error, forbidden);
    expect(r.received).toHaveLength(0);

    const held = pacer.waitOf('dest');
    expect(held).toBeGreaterThan(retryAfterMs - 100);
    expect(held).toBeLessThanOrEqual(retryAfterMs);
    const sent = await sender.send(destination, message(), key());
    expect(sent.status).toBe(200);
    expect(sent.pacedMs).toBeGreaterThanOrEqual(held - 5);
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.at - started).toBeGreaterThanOrEqual(retryAfterMs);
    expect(r.attempts).toBe(2);
  }

  it('Telegram: parameters.retry_after', () => expectRateLimit('telegram', 1, 1_000));
  it('Slack: the Retry-After header', () => expectRateLimit('slack', 1, 1_000));
  // The body's retry_after (0.25 s), not the header's whole seconds (Retry-After: 1).
  it("Discord: the body's retry_after", () => expectRateLimit('discord', 0.25, 250));

  it('the generic webhook: Retry-After', async () => {
    const { receiver: r, destination, sender, pacer } = await setup('webhook');
    r.fail({ type: 'status', status: 429, times: 1 });
    const error = await rejection(sender.send(destination, message(), key()));
    expect(error).toBeInstanceOf(DeliveryRateLimitedError);
    expect((error as DeliveryRateLimitedError).retryAfterMs).toBe(1_000);
    expect(pacer.waitOf('dest')).toBeGreaterThan(900);
  });
});

describe('AlertSender: temporary and permanent failures', () => {
  it.each(KINDS)('%s 503: a DeliveryError, temporary, nothing committed', async (kind) => {
    const { receiver: r, destination, sender, forbidden } = await setup(kind);
    r.fail({ type: 'status', status: 503, times: 1 });
    const error = await rejection(sender.send(destination, message(), key()));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).not.toBeInstanceOf(DeliveryRateLimitedError);
    expect((error as DeliveryError).temporary).toBe(true);
    expect(error.message).toMatch(new RegExp(`^dest: ${kind} 503`));
    expectNoSecret(error, forbidden);
    expect(r.received).toHaveLength(0);
  });

  const wrong: Array<[string, ReceiverKind, (r: Receiver) => string, RegExp]> = [
    [
      'Telegram, a wrong bot token',
      'telegram',
      () => '123456789:AAwrong-token-0123456789abcdefghijkl',
      /^dest: telegram 401: Unauthorized$/,
    ],
    [
      'Discord, an unknown webhook',
      'discord',
      (r) => r.target.webhookUrl!.replace(/webhooks\/\d+\//, 'webhooks/112233445566778899/'),
      /^dest: discord 404: Unknown Webhook$/,
    ],
    [
      'Discord, a wrong webhook token',
      'discord',
      (r) => r.target.webhookUrl!.replace(/[^/]+$/, 'wrong-token-0123456789abcdefghijkl'),
      /^dest: discord 401: Invalid Webhook Token$/,
    ],
    [
      'Slack, an unknown service',
      'slack',
      (r) => r.target.webhookUrl!.replace(/services\/[^/]+\//, 'services/T0NOPE/'),
      /^dest: slack 404: no_service$/,
    ],
    [
      'Slack, a wrong token',
      'slack',
      (r) => r.target.webhookUrl!.replace(/[^/]+$/, 'wrong0123456789abcdef0123'),
      /^dest: slack 403: invalid_token$/,
    ],
    [
      'the webhook, a wrong HMAC key',
      'webhook',
      () => 'wrong-hmac-key-0123456789abcdef',
      /^dest: webhook 401: .*signature mismatch/,
    ],
  ];

  it.each(wrong)('%s: DeliveryRejectedError, not temporary', async (_what, kind, secret, expected) => {
    const r = await receiver(kind);
    const s = destinationFor(r, { secret: secret(r) });
    const sender = new AlertSender(alertSecrets(s.config), new Pacer(), 1_000);
    const error = await rejection(sender.send(s.destination, message(), key()));
    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect((error as DeliveryRejectedError).temporary).toBe(false);
    expect(error.message).toMatch(expected);
    expectNoSecret(error, s.forbidden);
    expect(r.received).toHaveLength(0);
  });

  it('Telegram, a chat the bot cannot post to, or blocked: rejected', async () => {
    const { receiver: r, destination, sender } = await setup('telegram', { extra: { chatId: '1' } });
    const notFound = await rejection(sender.send(destination, message(), key()));
    expect(notFound).toBeInstanceOf(DeliveryRejectedError);
    expect(notFound.message).toBe('dest: telegram 400: Bad Request: chat not found');
    // Its own chat (another name, so the first one's spacing does not hold it), the bot blocked there.
    const own = destinationFor(r, { name: 'own' });
    r.fail({ type: 'status', status: 403, times: 1 });
    const blocked = await rejection(sender.send(own.destination, message(), key()));
    expect(blocked).toBeInstanceOf(DeliveryRejectedError);
    expect(blocked.message).toBe('own: telegram 403: Forbidden: bot was blocked by the user');
  });

  it('a hang: DeliveryError after the timeout, nothing committed', async () => {
    const { receiver: r, destination, sender, forbidden } = await setup('telegram');
    r.fail({ type: 'hang', times: 1 });
    const started = Date.now();
    const error = await rejection(sender.send(destination, message(), key()));
    const took = Date.now() - started;
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).not.toBeInstanceOf(DeliveryRateLimitedError);
    expect((error as DeliveryError).temporary).toBe(true);
    expect(error.message).toBe('dest: no answer: timed out after 300 ms');
    expectNoSecret(error, forbidden);
    expect(took).toBeGreaterThanOrEqual(295);
    expect(took).toBeLessThan(2_000);
    expect(r.attempts).toBe(1);
    expect(r.received).toHaveLength(0);
  });

  it('an answer later than the timeout: DeliveryError, and the receiver did not commit it', async () => {
    const { receiver: r, destination, sender } = await setup('discord');
    r.fail({ type: 'delay', ms: 500, times: 1 });
    const error = await rejection(sender.send(destination, message(), key()));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.message).toBe('dest: no answer: timed out after 300 ms');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.attempts).toBe(1);
    expect(r.received).toHaveLength(0);
  });

  it.each(KINDS)('%s, a reset connection: DeliveryError with the socket error, no URL', async (kind) => {
    const { receiver: r, destination, sender, forbidden } = await setup(kind);
    r.fail({ type: 'reset', times: 1 });
    const error = await rejection(sender.send(destination, message(), key()));
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).temporary).toBe(true);
    expect(error.message).toMatch(/^dest: no answer: [A-Z][A-Z_]+$/);
    expect(error.message).not.toContain(r.url);
    expect(error.message).not.toContain('127.0.0.1');
    expectNoSecret(error, forbidden);
    expect(r.received).toHaveLength(0);
  });

  it('a receiver that is not listening: DeliveryError, no URL', async () => {
    const r = await receiver('slack');
    const s = destinationFor(r);
    await r.close();
    const sender = new AlertSender(alertSecrets(s.config), new Pacer(), 1_000);
    const error = await rejection(sender.send(s.destination, message(), key()));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.message).toBe('dest: no answer: ECONNREFUSED');
    expectNoSecret(error, s.forbidden);
  });
});

// --- secrets in answers ---------------------------------------------------------------------------------

/** A receiver that echoes what it was sent into its error: the path (with the token), the secret. */
async function echoServer(
  answer: (url: string) => { status: number; type: string; body: string; headers?: Record<string, string> },
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const a = answer(req.url ?? '/');
      res.writeHead(a.status, { 'Content-Type': a.type, ...a.headers }).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const handle = {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  open.push(handle);
  return handle;
}

describe('AlertSender: no secret in an error, whatever the receiver says', () => {
  const TOKEN = '123456789:AAsecret-telegram-key-0123456789abcd';
  const HMAC = 'secret-hmac-key-0123456789abcdef0123';

  function destinationsOf(base: string): { config: AlertsConfig; forbidden: string[] } {
    const env = {
      TG_TOKEN: TOKEN,
      DISCORD_URL: `${base}/api/webhooks/112233445566778899/secret-discord-token-0123456789abcdefABCDEF`,
      SLACK_URL: `${base}/services/T0SECRET/B0SECRET/secretslacktoken0123456789`,
      HOOK_HMAC: HMAC,
    };
    const config = parseAlerts(
      {
        destinations: [
          { name: 'telegram', type: 'telegram', botToken: '${TG_TOKEN}', chatId: 1, baseUrl: base },
          { name: 'discord', type: 'discord', webhookUrl: '${DISCORD_URL}' },
          { name: 'slack', type: 'slack', webhookUrl: '${SLACK_URL}' },
          { name: 'webhook', type: 'webhook', url: `${base}/hook`, secret: '${HOOK_HMAC}' },
        ],
      },
      env,
      'ALERTS',
    );
    return { config, forbidden: Object.values(env).flatMap(secretParts) };
  }

  const echoes: Array<[string, (path: string) => { status: number; type: string; body: string }]> = [
    [
      'Cannot POST <path>, as text',
      (path) => ({ status: 404, type: 'text/plain', body: `Cannot POST ${path}` }),
    ],
    [
      'the path in a JSON description and message',
      (path) => ({
        status: 400,
        type: 'application/json',
        body: JSON.stringify({
          ok: false,
          error_code: 400,
          description: `no route ${path}`,
          message: `no route ${path}`,
        }),
      }),
    ],
    [
      'the secrets themselves',
      (path) => ({
        status: 500,
        type: 'text/plain',
        body: `token ${TOKEN} hmac ${HMAC} at ${path}`,
      }),
    ],
    [
      'the path, percent-encoded',
      (path) => ({ status: 502, type: 'text/plain', body: `bad gateway for ${encodeURIComponent(path)}` }),
    ],
  ];

  it.each(echoes)('%s', async (_what, echo) => {
    const server = await echoServer(echo);
    const { config, forbidden } = destinationsOf(server.url);
    const sender = new AlertSender(alertSecrets(config), new Pacer(), 1_000);
    for (const destination of config.destinations) {
      const error = await rejection(sender.send(destination, message(), key()));
      expect(error instanceof DeliveryError || error instanceof DeliveryRejectedError).toBe(true);
      expect(error.message.startsWith(`${destination.name}: ${destination.type} `)).toBe(true);
      expectNoSecret(error, forbidden);
    }
  });

  it('cuts no token in half where the reason is clipped, wherever the cut falls', async () => {
    let pad = 0;
    const server = await echoServer((path) => ({
      status: 503,
      type: 'text/plain',
      body: `${'x'.repeat(pad)} ${path}`,
    }));
    const { config, forbidden } = destinationsOf(server.url);
    // The tokens themselves (not a URL, not a path): not even their first 8 characters may show.
    const tokens = forbidden.filter((p) => p.length >= 16 && !p.includes('/'));
    for (pad = 100; pad <= 200; pad += 1) {
      for (const destination of config.destinations) {
        // A fresh pacer each time: a 503 holds the destination its spacing.
        const sender = new AlertSender(alertSecrets(config), new Pacer(), 1_000);
        const error = await rejection(sender.send(destination, message(), key()));
        expect(error).toBeInstanceOf(DeliveryError);
        expectNoSecret(error, forbidden);
        for (const token of tokens) expect(error.message, `pad ${pad}`).not.toContain(token.slice(0, 8));
      }
    }
  });
});

describe('AlertSender: redirects', () => {
  // A redirect (a moved webhook, http → https) is not followed, which would POST the alert somewhere not
  // configured: it is refused for good, saying so, instead of retried as a receiver that did not answer.
  it('says that the receiver redirected, and does not retry it as if it had not answered', async () => {
    const server = await echoServer(() => ({
      status: 302,
      type: 'text/plain',
      body: '',
      headers: { Location: 'https://hooks.slack.example/services/T0/B0/slacktoken0123456789abcdef' },
    }));
    const config = parseAlerts(
      { destinations: [{ name: 'dest', type: 'slack', webhookUrl: '${SLACK_URL}' }] },
      { SLACK_URL: `${server.url}/services/T0/B0/slacktoken0123456789abcdef` },
      'ALERTS',
    );
    const sender = new AlertSender(alertSecrets(config), new Pacer(), 1_000);
    const error = await rejection(sender.send(config.destinations[0]!, message(), key()));
    expect(error.message).toMatch(/302|redirect/i);
    expect(error).toBeInstanceOf(DeliveryRejectedError);
  });
});

// --- pacing ---------------------------------------------------------------------------------------------

describe('AlertSender: pacing', () => {
  it("keeps two messages to one Telegram private chat its spacing apart, so the receiver's limit never answers 429", async () => {
    const { receiver: r, destination, sender } = await setup('telegram');
    expect(destination.minIntervalMs).toBe(TELEGRAM_CHAT_INTERVAL_MS);
    await sender.send(destination, message(), key());
    const second = await sender.send(destination, message(), key());
    expect(r.received).toHaveLength(2);
    expect(r.attempts).toBe(2);
    expect(r.received[1]!.at - r.received[0]!.at).toBeGreaterThanOrEqual(TELEGRAM_CHAT_INTERVAL_MS);
    expect(second.pacedMs).toBeGreaterThan(TELEGRAM_CHAT_INTERVAL_MS - 100);
  });

  it('keeps the spacing after a failed send too', async () => {
    const { receiver: r, destination, sender, pacer } = await setup('telegram');
    r.fail({ type: 'status', status: 502, times: 1 });
    await rejection(sender.send(destination, message(), key()));
    expect(pacer.waitOf('dest')).toBeGreaterThan(TELEGRAM_CHAT_INTERVAL_MS - 100);
  });

  it("waits Discord's X-RateLimit-Reset-After once X-RateLimit-Remaining is 0", async () => {
    // No spacing of its own: only the receiver's headers pace it.
    const {
      receiver: r,
      destination,
      sender,
      pacer,
    } = await setup('discord', { extra: { minIntervalMs: 0 } });
    for (let i = 0; i < 5; i++) {
      expect(pacer.waitOf('dest')).toBe(0);
      expect((await sender.send(destination, message(), key())).status).toBe(200);
    }
    const pause = pacer.waitOf('dest');
    expect(pause).toBeGreaterThan(1_000); // the 2 s window, less the five sends
    expect(pause).toBeLessThanOrEqual(2_000);
    const sixth = await sender.send(destination, message(), key());
    expect(sixth.status).toBe(200);
    expect(sixth.pacedMs).toBeGreaterThanOrEqual(pause - 5);
    expect(r.attempts).toBe(6); // never a 429
    expect(r.received).toHaveLength(6);
    expect(r.received[5]!.at - r.received[0]!.at).toBeGreaterThanOrEqual(1_990);
  });

  it('paces each destination on its own', async () => {
    const a = await setup('slack', { name: 'a' });
    const b = destinationFor(await receiver('slack'), { name: 'b' });
    const sender = new AlertSender([...alertSecrets(a.config), ...alertSecrets(b.config)], a.pacer, 1_000);
    await sender.send(a.destination, message(), key());
    expect(a.pacer.waitOf('b')).toBe(0);
    const other = await sender.send(b.destination, message(), key());
    expect(other.pacedMs).toBeLessThan(50);
    expect(a.pacer.waitOf('a')).toBeGreaterThan(900);
  });
});

// --- the pacer on its own -------------------------------------------------------------------------------

/** A clock that sleeping moves (by `ratio` of the asked time: below 1, the sleep wakes early). */
function fakeTime(ratio = 1) {
  const time = {
    t: 1_000_000,
    slept: [] as number[],
    now: () => time.t,
    sleep: (ms: number) => {
      time.slept.push(ms);
      time.t += Math.max(1, Math.floor(ms * ratio));
      return Promise.resolve();
    },
  };
  return time;
}

describe('Pacer', () => {
  it('lets a destination it never saw go at once', async () => {
    const time = fakeTime();
    const pacer = new Pacer(time.now, time.sleep);
    expect(pacer.waitOf('a')).toBe(0);
    await pacer.ready('a');
    expect(time.slept).toEqual([]);
  });

  it('holds a destination its spacing after a send, less the time that passed', async () => {
    const time = fakeTime();
    const pacer = new Pacer(time.now, time.sleep);
    pacer.sent('a', 1_000);
    expect(pacer.waitOf('a')).toBe(1_000);
    time.t += 400;
    expect(pacer.waitOf('a')).toBe(600);
    await pacer.ready('a');
    expect(time.slept).toEqual([600]);
    expect(pacer.waitOf('a')).toBe(0);
    time.t += 5_000;
    expect(pacer.waitOf('a')).toBe(0);
  });

  it('waits the longer of the spacing and the pause the receiver asked for', () => {
    const time = fakeTime();
    const pacer = new Pacer(time.now, time.sleep);
    pacer.sent('a', 440, 1_800);
    expect(pacer.waitOf('a')).toBe(1_800);
    pacer.sent('b', 440, 100);
    expect(pacer.waitOf('b')).toBe(440);
    pacer.sent('c', 0);
    expect(pacer.waitOf('c')).toBe(0);
  });

  it('never shortens a hold: a later, shorter spacing keeps the 429 wait', () => {
    const time = fakeTime();
    const pacer = new Pacer(time.now, time.sleep);
    pacer.hold('a', 30_000);
    pacer.sent('a', 1_100);
    pacer.hold('a', 5_000);
    expect(pacer.waitOf('a')).toBe(30_000);
    time.t += 29_000;
    pacer.sent('a', 1_100);
    expect(pacer.waitOf('a')).toBe(1_100); // now the longer of the two
  });

  it('keeps destinations apart', () => {
    const time = fakeTime();
    const pacer = new Pacer(time.now, time.sleep);
    pacer.hold('a', 10_000);
    expect(pacer.waitOf('b')).toBe(0);
    pacer.sent('b', 100);
    expect(pacer.waitOf('a')).toBe(10_000);
    expect(pacer.waitOf('b')).toBe(100);
  });

  it('sleeps again when a sleep wakes early, until the wait is over', async () => {
    const time = fakeTime(0.5);
    const pacer = new Pacer(time.now, time.sleep);
    pacer.hold('a', 1_000);
    const start = time.t;
    await pacer.ready('a');
    expect(time.t - start).toBeGreaterThanOrEqual(1_000);
    expect(time.slept.length).toBeGreaterThan(1);
    expect(time.slept[0]).toBe(1_000);
    expect(time.slept[1]).toBe(500);
  });

  it('waits for a hold that grows while it sleeps', async () => {
    const time = fakeTime();
    let pacer: Pacer | undefined = undefined;
    const sleep = async (ms: number) => {
      await time.sleep(ms);
      // Another sender's 429 arrives while this one waits.
      if (time.slept.length === 1) pacer!.hold('a', 2_000);
    };
    pacer = new Pacer(time.now, sleep);
    pacer.sent('a', 500);
    await pacer.ready('a');
    expect(time.slept).toEqual([500, 2_000]);
  });
});
