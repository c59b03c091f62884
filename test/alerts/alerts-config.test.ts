/**
 * The alerts configuration as the process reads it at start: ALERTS (inline
 * JSON) or ALERTS_FILE (YAML, of which JSON is a part) through loadConfig,
 * each destination with its defaults and its secrets read from `${VAR}`s;
 * every bad input a one-line ConfigError naming the variable and the entry,
 * which never repeats a secret.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DISCORD_INTERVAL_MS,
  SLACK_INTERVAL_MS,
  TELEGRAM_CHAT_INTERVAL_MS,
  TELEGRAM_GROUP_INTERVAL_MS,
  alertSecrets,
} from '../../src/alerts/destinations.js';
import { type Config, loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/core/errors.js';

/** Recognisable secret values: no error message may contain any of them, or a long piece of one. */
const SECRETS = {
  TG_TOKEN: '987654:SECRET-telegram-AAEhBOweik9ai2o4w',
  DISCORD_URL: 'https://discord.example/api/webhooks/112233445566778899/SECRET-discord-tokenXYZ',
  SLACK_URL: 'https://hooks.slack.example/services/T000/B000/SECRET-slack-tokenXYZ',
  HOOK_HMAC: 'SECRET-hmac-key-0123456789abcdef',
};
const SECRET_VALUES = Object.values(SECRETS);

const dir = mkdtempSync(path.join(tmpdir(), 'alerts-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function alertsFile(text: string, extension = 'yaml'): string {
  const file = path.join(dir, `alerts-${(files += 1)}.${extension}`);
  writeFileSync(file, text);
  return file;
}

function load(overrides: Record<string, string | undefined>, env: NodeJS.ProcessEnv = SECRETS): Config {
  return loadConfig(env, overrides, { requireExchangeUrl: false });
}

/** The ConfigError `run` throws (fails the test if it throws nothing or something else). */
function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, got none');
}

/** One line, naming the variable first, and no secret value in it (nor a long piece of one). */
function expectSafeOneLine(message: string, variable: string): void {
  expect(message).not.toMatch(/[\r\n]/);
  expect(message.startsWith(`${variable}:`) || message.startsWith(`${variable} `)).toBe(true);
  for (const secret of SECRET_VALUES) {
    expect(message).not.toContain(secret);
    for (const piece of secret.split(/[/:]/).filter((p) => p.length >= 8))
      expect(message).not.toContain(piece);
  }
}

const TELEGRAM = { name: 'desk', type: 'telegram', botToken: '${TG_TOKEN}', chatId: 123456789 };
const DISCORD = { name: 'discord-room', type: 'discord', webhookUrl: '${DISCORD_URL}' };
const SLACK = { name: 'slack-room', type: 'slack', webhookUrl: '${SLACK_URL}' };
const WEBHOOK = { name: 'hook', type: 'webhook', url: 'https://ops.example/scanner', secret: '${HOOK_HMAC}' };

const alerts = (document: unknown) => ({ ALERTS: JSON.stringify(document) });
const withEntry = (entry: Record<string, unknown>, others: unknown[] = []) =>
  alerts({ destinations: [...others, entry] });

describe('alerts configuration: valid documents', () => {
  it('has no destinations without ALERTS or ALERTS_FILE', () => {
    const config = load({});
    expect(config.alerts).toEqual({ lateAfterMs: 600_000, giveUpAfterMs: 86_400_000, destinations: [] });
    expect(load({ ALERTS: '' }).alerts.destinations).toEqual([]);
    expect(load(alerts({})).alerts.destinations).toEqual([]);
  });

  it('gives every destination of ALERTS its defaults and its secrets from the environment', () => {
    const config = load(
      alerts({
        lateAfter: '15m',
        giveUpAfter: '2d',
        destinations: [
          TELEGRAM,
          { ...TELEGRAM, name: 'group', chatId: -1001234567890 },
          { ...TELEGRAM, name: 'channel', chatId: '@scanner_alerts' },
          { ...TELEGRAM, name: 'chat-string', chatId: '42' },
          DISCORD,
          SLACK,
          WEBHOOK,
        ],
      }),
    );
    expect(config.alerts.lateAfterMs).toBe(15 * 60_000);
    expect(config.alerts.giveUpAfterMs).toBe(2 * 86_400_000);
    const defaults = { events: ['signal'], directions: ['LONG', 'SHORT'], minScore: 0, digest: false };
    const [chat, group, channel, chatString, discord, slack, webhook] = config.alerts.destinations;
    expect(chat).toEqual({
      ...defaults,
      name: 'desk',
      type: 'telegram',
      botToken: SECRETS.TG_TOKEN,
      chatId: '123456789',
      parseMode: 'HTML',
      baseUrl: 'https://api.telegram.org',
      minIntervalMs: TELEGRAM_CHAT_INTERVAL_MS,
    });
    expect(chat).not.toHaveProperty('symbols');
    expect(group).toMatchObject({ chatId: '-1001234567890', minIntervalMs: TELEGRAM_GROUP_INTERVAL_MS });
    expect(channel).toMatchObject({ chatId: '@scanner_alerts', minIntervalMs: TELEGRAM_GROUP_INTERVAL_MS });
    expect(chatString).toMatchObject({ chatId: '42', minIntervalMs: TELEGRAM_CHAT_INTERVAL_MS });
    expect(discord).toEqual({
      ...defaults,
      name: 'discord-room',
      type: 'discord',
      webhookUrl: SECRETS.DISCORD_URL,
      minIntervalMs: DISCORD_INTERVAL_MS,
    });
    expect(slack).toEqual({
      ...defaults,
      name: 'slack-room',
      type: 'slack',
      webhookUrl: SECRETS.SLACK_URL,
      minIntervalMs: SLACK_INTERVAL_MS,
    });
    expect(webhook).toEqual({
      ...defaults,
      name: 'hook',
      type: 'webhook',
      url: 'https://ops.example/scanner',
      secret: SECRETS.HOOK_HMAC,
      minIntervalMs: 0,
    });
    expect(alertSecrets(config.alerts).sort()).toEqual(
      [
        SECRETS.TG_TOKEN,
        SECRETS.TG_TOKEN,
        SECRETS.TG_TOKEN,
        SECRETS.TG_TOKEN,
        SECRETS.DISCORD_URL,
        SECRETS.SLACK_URL,
        SECRETS.HOOK_HMAC,
      ].sort(),
    );
  });

  it('keeps the filters and the spacing that are given', () => {
    const config = load(
      withEntry({
        ...DISCORD,
        events: ['signal', 'outcome', 'cycle'],
        directions: ['SHORT'],
        minScore: 70,
        symbols: ['BTC/USDT:USDT'],
        digest: true,
        minIntervalMs: 0,
      }),
    );
    expect(config.alerts.destinations[0]).toMatchObject({
      events: ['signal', 'outcome', 'cycle'],
      directions: ['SHORT'],
      minScore: 70,
      symbols: ['BTC/USDT:USDT'],
      digest: true,
      minIntervalMs: 0,
    });
  });

  it('reads the secrets from the overrides too (the flags over the environment)', () => {
    const config = load({ ...withEntry(TELEGRAM), TG_TOKEN: '111:from-the-flags' }, {});
    expect(config.alerts.destinations[0]).toMatchObject({ botToken: '111:from-the-flags' });
  });

  it('reads ALERTS_FILE as YAML, with comments and ${VAR} secrets, the same as ALERTS', () => {
    const file = alertsFile(`# Where the scanner's alerts go.
lateAfter: 15m   # a message later than this says so
giveUpAfter: 2d
destinations:
  # the desk's private chat
  - name: desk
    type: telegram
    botToken: \${TG_TOKEN}
    chatId: 123456789
  - name: group
    type: telegram
    botToken: "\${TG_TOKEN}"
    chatId: -1001234567890
  - name: channel
    type: telegram
    botToken: '\${TG_TOKEN}'
    chatId: "@scanner_alerts"
  - name: chat-string
    type: telegram
    botToken: \${TG_TOKEN}
    chatId: "42"
  - name: discord-room
    type: discord
    webhookUrl: \${DISCORD_URL}
  - name: slack-room
    type: slack
    webhookUrl: \${SLACK_URL}
  - name: hook
    type: webhook
    url: https://ops.example/scanner
    secret: \${HOOK_HMAC}
`);
    const fromFile = load({ ALERTS_FILE: file }).alerts;
    const inline = load(
      alerts({
        lateAfter: '15m',
        giveUpAfter: '2d',
        destinations: [
          TELEGRAM,
          { ...TELEGRAM, name: 'group', chatId: -1001234567890 },
          { ...TELEGRAM, name: 'channel', chatId: '@scanner_alerts' },
          { ...TELEGRAM, name: 'chat-string', chatId: '42' },
          DISCORD,
          SLACK,
          WEBHOOK,
        ],
      }),
    ).alerts;
    expect(fromFile).toEqual(inline);
    expect(fromFile.destinations.map((d) => d.minIntervalMs)).toEqual([
      TELEGRAM_CHAT_INTERVAL_MS,
      TELEGRAM_GROUP_INTERVAL_MS,
      TELEGRAM_GROUP_INTERVAL_MS,
      TELEGRAM_CHAT_INTERVAL_MS,
      DISCORD_INTERVAL_MS,
      SLACK_INTERVAL_MS,
      0,
    ]);
  });

  it('reads a JSON ALERTS_FILE, and an empty one as no destinations', () => {
    const json = alertsFile(JSON.stringify({ destinations: [WEBHOOK] }), 'json');
    expect(load({ ALERTS_FILE: json }).alerts.destinations).toMatchObject([
      { name: 'hook', secret: SECRETS.HOOK_HMAC },
    ]);
    const empty = alertsFile('# nothing yet\n');
    expect(load({ ALERTS_FILE: empty }).alerts).toEqual({
      lateAfterMs: 600_000,
      giveUpAfterMs: 86_400_000,
      destinations: [],
    });
  });
});

describe('alerts configuration: bad input', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    [
      'an unknown type',
      withEntry({ name: 'desk', type: 'teams', webhookUrl: '${DISCORD_URL}' }),
      /^ALERTS: destinations\[0\] \(desk\): type: /,
    ],
    [
      'an unknown field',
      withEntry({ ...DISCORD, token: '${DISCORD_URL}' }),
      /^ALERTS: destinations\[0\] \(discord-room\): .*"token"/,
    ],
    ['an unknown top-level field', alerts({ destination: [] }), /^ALERTS: .*"destination"/],
    [
      'a bad name',
      withEntry({ ...TELEGRAM, name: 'Desk Room' }),
      /^ALERTS: destinations\[0\] \(Desk Room\): name: must be 1-40 lowercase/,
    ],
    [
      'a literal token instead of ${VAR}',
      withEntry({ ...TELEGRAM, botToken: SECRETS.TG_TOKEN }),
      /^ALERTS: destinations\[0\] \(desk\): botToken: a secret must name an environment variable, as \$\{VAR\}$/,
    ],
    [
      'a literal webhook URL instead of ${VAR}',
      withEntry({ ...SLACK, webhookUrl: SECRETS.SLACK_URL }),
      /^ALERTS: destinations\[0\] \(slack-room\): webhookUrl: a secret must name/,
    ],
    [
      'a literal HMAC key instead of ${VAR}',
      withEntry({ ...WEBHOOK, secret: SECRETS.HOOK_HMAC }),
      /^ALERTS: destinations\[0\] \(hook\): secret: a secret must name/,
    ],
    [
      'a ${VAR} that is not set',
      withEntry({ ...TELEGRAM, botToken: '${MISSING_TOKEN}' }, [WEBHOOK]),
      /^ALERTS: destinations\[1\] \(desk\): botToken: MISSING_TOKEN is not set$/,
    ],
    [
      'a webhookUrl variable that is not a URL',
      withEntry({ ...DISCORD, webhookUrl: '${TG_TOKEN}' }),
      /^ALERTS: destinations\[0\] \(discord-room\): webhookUrl: TG_TOKEN is not an http\(s\) URL$/,
    ],
    [
      'a name used twice',
      alerts({ destinations: [WEBHOOK, DISCORD, { ...SLACK, name: 'hook' }] }),
      /^ALERTS: destinations\[2\] \(hook\): the name is used twice$/,
    ],
    [
      'minScore 101',
      withEntry({ ...WEBHOOK, minScore: 101 }),
      /^ALERTS: destinations\[0\] \(hook\): minScore: /,
    ],
    [
      'an unknown direction',
      withEntry({ ...WEBHOOK, directions: ['UP'] }),
      /^ALERTS: destinations\[0\] \(hook\): directions\.0: /,
    ],
    [
      'a bad chat id',
      withEntry({ ...TELEGRAM, chatId: 'the desk' }),
      /^ALERTS: destinations\[0\] \(desk\): chatId: /,
    ],
    [
      'a bad duration',
      alerts({ lateAfter: '10 minutes', destinations: [WEBHOOK] }),
      /^ALERTS: lateAfter: must be a positive whole number and a unit: .*got "10 minutes"$/,
    ],
    ['a zero duration', alerts({ giveUpAfter: '0m' }), /^ALERTS: giveUpAfter: /],
    ['not JSON', { ALERTS: 'destinations: []' }, /^ALERTS: not valid JSON$/],
    ['not an object', { ALERTS: '[]' }, /^ALERTS: /],
  ];

  it.each(cases)('%s: one line naming ALERTS and the entry, no secret', (_what, overrides, expected) => {
    const { message } = configError(() => load(overrides));
    expect(message).toMatch(expected);
    expectSafeOneLine(message, 'ALERTS');
  });

  it.each([
    ['a secret value that is not a URL', 'not a url: SECRET-discord-tokenXYZ-0123456789'],
    ['a secret value with another scheme', 'ftp://discord.example/api/webhooks/1/SECRET-discord-tokenXYZ'],
  ])('%s: names the variable, never its value', (_what, value) => {
    const { message } = configError(() => load(withEntry(DISCORD), { ...SECRETS, DISCORD_URL: value }));
    expect(message).toBe(
      'ALERTS: destinations[0] (discord-room): webhookUrl: DISCORD_URL is not an http(s) URL',
    );
    expect(message).not.toContain(value);
    expect(message).not.toContain('SECRET-discord-tokenXYZ');
  });

  it('names a secret set to the empty string as not set', () => {
    const { message } = configError(() => load(withEntry(TELEGRAM), { TG_TOKEN: '' }));
    expect(message).toBe('ALERTS: destinations[0] (desk): botToken: TG_TOKEN is not set');
  });

  it('names ALERTS_FILE and the entry in a YAML file', () => {
    const file = alertsFile(`destinations:
  - name: hook
    type: webhook
    url: https://ops.example/scanner
    secret: \${HOOK_HMAC}
  - name: desk       # a comment
    type: telegram
    botToken: \${TG_TOKEN}
    chatId: 1
    minScore: 101
`);
    const { message } = configError(() => load({ ALERTS_FILE: file }));
    expect(message).toMatch(/^ALERTS_FILE: destinations\[1\] \(desk\): minScore: /);
    expectSafeOneLine(message, 'ALERTS_FILE');
  });

  it.each([
    ['nested mappings', 'destinations:\n  - name: desk: room\n    type: telegram\n'],
    ['a missing quote', `destinations:\n  - name: "desk\n    botToken: \${TG_TOKEN}\n`],
    ['a duplicate key', 'lateAfter: 10m\nlateAfter: 20m\n'],
  ])('says when ALERTS_FILE is not YAML (%s), on one line', (_what, text) => {
    const { message } = configError(() => load({ ALERTS_FILE: alertsFile(text) }));
    expect(message).toMatch(/^ALERTS_FILE: not valid YAML \(line \d+, column \d+\)$/);
    expectSafeOneLine(message, 'ALERTS_FILE');
  });

  it('refuses ALERTS and ALERTS_FILE together', () => {
    const file = alertsFile('destinations: []\n');
    const { message } = configError(() => load({ ALERTS_FILE: file, ...alerts({}) }));
    expect(message).toBe('ALERTS and ALERTS_FILE: give one or the other');
    expectSafeOneLine(message, 'ALERTS');
  });

  it('refuses an ALERTS_FILE that cannot be read, without repeating its path', () => {
    const missingFile = path.join(dir, 'no-such-alerts.yaml');
    const { message } = configError(() => load({ ALERTS_FILE: missingFile }));
    expect(message).toBe('ALERTS_FILE: no readable file at that path');
    expect(message).not.toContain(missingFile);
  });

  it('never repeats a secret value, in any of the errors above', () => {
    // Every bad document, with every secret set: collected, then checked together.
    const messages = cases.map(([, overrides]) => configError(() => load(overrides)).message);
    const all = messages.join('\n');
    for (const secret of SECRET_VALUES) expect(all).not.toContain(secret);
    expect(all).not.toContain('SECRET-');
  });

  // A bad name or duration is quoted escaped, so a line break in it keeps the ConfigError one line.
  it('keeps a bad name with a line break on one line', () => {
    const { message } = configError(() => load(withEntry({ ...TELEGRAM, name: 'desk\nops' })));
    expect(message).not.toMatch(/[\r\n]/);
  });

  it('keeps a bad duration with a line break on one line', () => {
    const { message } = configError(() => load(alerts({ lateAfter: '10\nminutes' })));
    expect(message).not.toMatch(/[\r\n]/);
  });

  // V8's JSON.parse message quotes ~10 characters of the input: the error says where, never what.
  it('does not quote a secret pasted into malformed ALERTS JSON', () => {
    const text = `{"destinations":[{"name":"hook","type":"webhook","url":"https://ops.example/x","secret": ${SECRETS.HOOK_HMAC}}]}`;
    const { message } = configError(() => load({ ALERTS: text }));
    expect(message).toMatch(/^ALERTS: not valid JSON$/);
    expect(message).not.toContain(SECRETS.HOOK_HMAC.slice(0, 8));
  });
});
