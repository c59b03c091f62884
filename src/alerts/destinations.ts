/**
 * @module
 * Where alerts go: the destinations of the alerts file (ALERTS_FILE, YAML or
 * JSON) or of ALERTS (the same as inline JSON), validated once at start. A
 * secret (a bot token, a webhook URL, which carries its token, an HMAC key)
 * is never written in the file itself: it names an environment variable,
 * `${TELEGRAM_BOT_TOKEN}`, and is read from it here. A bad entry stops the
 * process with one line naming it, and never repeats a secret.
 *
 * Each channel's documented rate limit is its default pacing (one place),
 * with a tenth more, so that timer jitter never puts two messages inside
 * the receiver's window: Telegram allows about one message per second to a
 * chat and 20 per minute to a group; a Discord webhook about 5 per
 * 2 seconds; Slack one per second per incoming webhook.
 */
import { z } from 'zod';
import { DIRECTIONS } from '../analysis/signal.js';
import { ConfigError } from '../core/errors.js';
import { DURATION_HINT, parseDuration } from '../core/durations.js';
import { ALERT_EVENTS } from './alert-message.js';

/** Telegram: a group or channel (a negative chat id, or @name) takes 20 a minute; a person 1 a second. */
export const TELEGRAM_CHAT_INTERVAL_MS = 1_100;
export const TELEGRAM_GROUP_INTERVAL_MS = 3_300;
/** Discord: 5 requests per 2 s per webhook. */
export const DISCORD_INTERVAL_MS = 440;
/** Slack: one message per second per incoming webhook. */
export const SLACK_INTERVAL_MS = 1_100;

const ENV_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** Text from the file, fit for a one-line message: escaped as in JSON, cut short. */
const quoted = (text: string) => JSON.stringify(text.slice(0, 40));

const duration = z.string().transform((s, ctx) => {
  const ms = parseDuration(s);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `must be ${DURATION_HINT}, got ${quoted(s)}` });
    return z.NEVER;
  }
  return ms;
});

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** A secret: `${VAR}` in the file, its value from the environment (checked after parsing). */
const secret = z.string().regex(ENV_REFERENCE, 'a secret must name an environment variable, as ${VAR}');

const filters = {
  /** Signals below this score are not sent (outcomes follow the signals that were). */
  minScore: z.number().int().min(0).max(100).default(0),
  directions: z
    .array(z.enum(DIRECTIONS))
    .min(1)
    .default([...DIRECTIONS]),
  /** Only these symbols (ccxt's BTC/USDT:USDT); absent: all. */
  symbols: z.array(z.string().min(1)).min(1).optional(),
  events: z.array(z.enum(ALERT_EVENTS)).min(1).default(['signal']),
  /** One message per cycle with all its new signals, instead of one per signal. */
  digest: z.boolean().default(false),
  /** Spacing between two messages, ms; the channel's documented limit unless set. */
  minIntervalMs: z.number().int().min(0).max(3_600_000).optional(),
};

const name = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,39}$/,
    'must be 1-40 lowercase letters, digits or dashes (it names a workflow)',
  );

const telegram = z.strictObject({
  name,
  type: z.literal('telegram'),
  botToken: secret,
  /** A chat id (negative for groups and channels) or @channelname. */
  chatId: z
    .union([z.string().regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{4,64})$/), z.number().int()])
    .transform(String),
  parseMode: z.enum(['HTML', 'MarkdownV2']).default('HTML'),
  baseUrl: httpUrl.default('https://api.telegram.org'),
  ...filters,
});

const discord = z.strictObject({
  name,
  type: z.literal('discord'),
  /** https://discord.com/api/webhooks/<id>/<token>: a secret. */
  webhookUrl: secret,
  ...filters,
});

const slack = z.strictObject({
  name,
  type: z.literal('slack'),
  /** https://hooks.slack.com/services/…: a secret. */
  webhookUrl: secret,
  ...filters,
});

const webhook = z.strictObject({
  name,
  type: z.literal('webhook'),
  url: httpUrl,
  /** The HMAC-SHA256 key the body is signed with. */
  secret,
  ...filters,
});

const destinationSchema = z.discriminatedUnion('type', [telegram, discord, slack, webhook]);

export const alertsFileSchema = z.strictObject({
  /** A message sent later than this after its close says that it is late. */
  lateAfter: duration.default(600_000),
  /** Delivery keeps trying this long, then records the message failed, with why. */
  giveUpAfter: duration.default(86_400_000),
  destinations: z.array(destinationSchema).default([]),
});

type Parsed = z.infer<typeof destinationSchema>;
/** A destination with its secrets read from the environment. */
export type Destination = Parsed & { readonly minIntervalMs: number };
export type DestinationType = Destination['type'];
export type TelegramDestination = Extract<Destination, { type: 'telegram' }>;
export type DiscordDestination = Extract<Destination, { type: 'discord' }>;
export type SlackDestination = Extract<Destination, { type: 'slack' }>;
export type WebhookDestination = Extract<Destination, { type: 'webhook' }>;

export interface AlertsConfig {
  lateAfterMs: number;
  giveUpAfterMs: number;
  destinations: Destination[];
}

export const NO_ALERTS: AlertsConfig = { lateAfterMs: 600_000, giveUpAfterMs: 86_400_000, destinations: [] };

function defaultInterval(d: Parsed): number {
  switch (d.type) {
    case 'telegram':
      return /^(-|@)/.test(d.chatId) ? TELEGRAM_GROUP_INTERVAL_MS : TELEGRAM_CHAT_INTERVAL_MS;
    case 'discord':
      return DISCORD_INTERVAL_MS;
    case 'slack':
      return SLACK_INTERVAL_MS;
    case 'webhook':
      return 0;
  }
}

const SECRET_FIELDS = ['botToken', 'webhookUrl', 'secret'] as const;

/**
 * The destinations of an alerts document (already parsed from YAML or JSON),
 * with secrets from `env`. Throws a one-line ConfigError naming the entry
 * (`ALERTS_FILE: destinations[1] (desk): botToken: …`), never its secret.
 */
export function parseAlerts(document: unknown, env: NodeJS.ProcessEnv, source: string): AlertsConfig {
  const result = alertsFileSchema.safeParse(document ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(`${source}: ${where(document, issue.path)}: ${issue.message}`);
  }
  const seen = new Set<string>();
  const destinations = result.data.destinations.map((d, i): Destination => {
    const at = `destinations[${i}] (${d.name})`;
    if (seen.has(d.name)) throw new ConfigError(`${source}: ${at}: the name is used twice`);
    seen.add(d.name);
    const resolved: Record<string, unknown> = { ...d };
    for (const field of SECRET_FIELDS) {
      const reference = resolved[field];
      if (typeof reference !== 'string') continue;
      const variable = ENV_REFERENCE.exec(reference)![1]!;
      const value = env[variable];
      if (!value) throw new ConfigError(`${source}: ${at}: ${field}: ${variable} is not set`);
      if (field === 'webhookUrl' && !httpUrl.safeParse(value).success)
        throw new ConfigError(`${source}: ${at}: ${field}: ${variable} is not an http(s) URL`);
      resolved[field] = value;
    }
    return { ...(resolved as Parsed), minIntervalMs: d.minIntervalMs ?? defaultInterval(d) };
  });
  return { lateAfterMs: result.data.lateAfter, giveUpAfterMs: result.data.giveUpAfter, destinations };
}

/** "destinations[1] (desk).chatId" for an issue's path: the entry by index and name. */
function where(document: unknown, path: readonly PropertyKey[]): string {
  if (path[0] !== 'destinations' || typeof path[1] !== 'number') return path.join('.') || 'alerts';
  const entry = (document as { destinations?: Array<{ name?: unknown }> }).destinations?.[path[1]];
  const label = typeof entry?.name === 'string' ? ` (${quoted(entry.name).slice(1, -1)})` : '';
  const rest = path.slice(2).join('.');
  return `destinations[${path[1]}]${label}${rest ? `: ${rest}` : ''}`;
}

/** The secret values of the destinations: what a log line, an error or a stored row must never contain. */
export function alertSecrets(config: AlertsConfig): string[] {
  return config.destinations.flatMap((d) =>
    SECRET_FIELDS.flatMap((field) => {
      const value = (d as Record<string, unknown>)[field];
      return typeof value === 'string' ? [value] : [];
    }),
  );
}
