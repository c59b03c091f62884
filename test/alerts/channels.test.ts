import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type {
  AlertMessage,
  CycleMessage,
  OutcomeMessage,
  SignalAlert,
  SignalsMessage,
  TestMessage,
} from '../../src/alerts/alert-message.js';
import type { ChannelAnswer, RequestContext } from '../../src/alerts/channels/channel.js';
import { DISCORD_LIMITS, discord } from '../../src/alerts/channels/discord.js';
import { channelFor } from '../../src/alerts/channels/index.js';
import { SLACK_LIMITS, slack } from '../../src/alerts/channels/slack.js';
import { TELEGRAM_TEXT_MAX, telegram } from '../../src/alerts/channels/telegram.js';
import { clip, formatPrice, formatR, lateNote } from '../../src/alerts/channels/text.js';
import { verifyWebhookSignature, webhook } from '../../src/alerts/channels/webhook.js';
import type { Destination, DestinationType } from '../../src/alerts/destinations.js';
import { TEST_SECRETS, testAlerts, webhookEntry } from '../helpers/alert-destinations.js';
import {
  discordFormErrors,
  parseTelegramHtml,
  parseTelegramMarkdownV2,
  slackBlocksValid,
} from '../helpers/alert-receivers.js';

// --- fixtures -------------------------------------------------------------------------------------------

const CLOSE = Date.UTC(2024, 4, 1, 12, 0, 0);
const NOW = CLOSE + 5_000;
const CYCLE_URL = 'http://temporal.example:8233/namespaces/default/workflows/scan-2024-05-01T12%3A00';
const HOSTILE_HTML = 'EMA <b>&</b> cross';
const MARKDOWN_SPECIALS = '_*[]()~`>#+-=|{}.!\\';

function signal(index: number, extra: Partial<SignalAlert> = {}): SignalAlert {
  return {
    signalId: index + 1,
    symbol: `COIN${index}/USDT:USDT`,
    direction: index % 2 === 0 ? 'LONG' : 'SHORT',
    score: 90 - (index % 40),
    price: 65_000.5,
    stop: 64_000.25,
    target: 67_000,
    timeframes: ['1h', '15m', '5m'],
    reasons: ['EMA 20 above EMA 50 on 1h', 'RSI 58 on 15m'],
    candleTime: CLOSE - 300_000,
    ...extra,
  };
}

function signalsMessage(signals: SignalAlert[], extra: Partial<SignalsMessage> = {}): SignalsMessage {
  return {
    kind: 'signals',
    cycleId: 'scan-2024-05-01T12:00',
    cycleUrl: CYCLE_URL,
    closeTime: CLOSE,
    signals,
    ...extra,
  };
}

const ONE_SIGNAL = signalsMessage([
  signal(0, { symbol: 'PEPE/USDT:USDT', price: 0.000012, stop: 0.0000114, target: 0.0000132 }),
]);
const DIGEST = signalsMessage(Array.from({ length: 60 }, (_, i) => signal(i)));
const HOSTILE = signalsMessage([signal(0, { reasons: [HOSTILE_HTML, `specials ${MARKDOWN_SPECIALS} end`] })]);

const OUTCOME: OutcomeMessage = {
  kind: 'outcome',
  cycleId: 'scan-2024-05-01T14:00',
  closeTime: CLOSE + 7_200_000,
  outcome: {
    signalId: 7,
    symbol: 'BTC/USDT:USDT',
    direction: 'SHORT',
    outcome: 'target',
    entry: 65_000,
    stop: 66_000,
    target: 63_000,
    exitPrice: 63_000,
    rMultiple: 2,
    outcomeAt: CLOSE + 7_200_000,
    reason: null,
  },
};
const MISSING: OutcomeMessage = {
  ...OUTCOME,
  outcome: {
    ...OUTCOME.outcome,
    outcome: 'missing',
    exitPrice: null,
    rMultiple: null,
    reason: 'the symbol was delisted',
  },
};
const CYCLE: CycleMessage = {
  kind: 'cycle',
  cycleId: 'scan-2024-05-01T12:00',
  cycleUrl: CYCLE_URL,
  closeTime: CLOSE,
  status: 'degraded',
  symbolsRequested: 180,
  symbolsScanned: 170,
  symbolsFailed: 10,
  reasons: ['ETH/USDT:USDT: timeout after 10 s', 'the cache ran without Redis'],
};
const TEST: TestMessage = { kind: 'test', destination: 'desk', sentAt: NOW };
const ALL_KINDS: AlertMessage[] = [ONE_SIGNAL, DIGEST, OUTCOME, MISSING, CYCLE, TEST];

const CONTEXT: RequestContext = { idempotencyKey: 'outbox-42:desk', now: NOW };
const LATE: RequestContext = { ...CONTEXT, lateByMs: 12 * 60_000 + 30_000 };

const ALERTS = testAlerts({
  destinations: [
    { name: 'tg-html', type: 'telegram', botToken: '${TEST_BOT_TOKEN}', chatId: '-1001234567890' },
    { name: 'tg-md', type: 'telegram', botToken: '${TEST_BOT_TOKEN}', chatId: '42', parseMode: 'MarkdownV2' },
    { name: 'desk', type: 'discord', webhookUrl: '${TEST_DISCORD_URL}' },
    { name: 'ops', type: 'slack', webhookUrl: '${TEST_SLACK_URL}' },
    webhookEntry('hook'),
  ],
});

function destination<T extends DestinationType>(name: string, type: T): Extract<Destination, { type: T }> {
  const found = ALERTS.destinations.find((d) => d.name === name);
  if (found?.type !== type) throw new Error(`no ${type} destination ${name}`);
  return found as Extract<Destination, { type: T }>;
}

const TG_HTML = destination('tg-html', 'telegram');
const TG_MD = destination('tg-md', 'telegram');
const DISCORD = destination('desk', 'discord');
const SLACK = destination('ops', 'slack');
const WEBHOOK = destination('hook', 'webhook');

function headers(values: Record<string, string> = {}): Headers {
  return new Headers(values);
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

function bodyOf(request: { body: string }): Record<string, unknown> {
  return JSON.parse(request.body) as Record<string, unknown>;
}

// --- per channel body types, as the tests read them --------------------------------------------------------

interface TelegramBody {
  chat_id: string;
  text: string;
  parse_mode: string;
  link_preview_options: { is_disabled: boolean };
}
interface DiscordEmbed {
  title: string;
  description?: string;
  url?: string;
  color: number;
  fields: Array<{ name: string; value: string; inline: boolean }>;
  footer?: { text: string };
}
interface DiscordBody {
  username: string;
  content: string;
  embeds: DiscordEmbed[];
  allowed_mentions: { parse: string[] };
}
interface SlackText {
  type: string;
  text: string;
  emoji?: boolean;
}
interface SlackBlock {
  type: string;
  text?: SlackText;
  fields?: SlackText[];
  elements?: SlackText[];
}
interface SlackBody {
  text: string;
  blocks: SlackBlock[];
}

const telegramText = (message: AlertMessage, context = CONTEXT, d = TG_HTML) =>
  (bodyOf(telegram.request(d, message, context)) as unknown as TelegramBody).text;
const discordBody = (message: AlertMessage, context = CONTEXT, d = DISCORD) =>
  bodyOf(discord.request(d, message, context)) as unknown as DiscordBody;
const slackBody = (message: AlertMessage, context = CONTEXT) =>
  bodyOf(slack.request(SLACK, message, context)) as unknown as SlackBody;

/** What a Discord embed counts toward the 6000 characters. */
function embedChars(embed: DiscordEmbed): number {
  return (
    embed.title.length +
    (embed.description?.length ?? 0) +
    embed.fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0) +
    (embed.footer?.text.length ?? 0)
  );
}

function slackTexts(body: SlackBody): string[] {
  return body.blocks.flatMap((b) => [
    ...(b.text ? [b.text.text] : []),
    ...(b.fields ?? []).map((f) => f.text),
    ...(b.elements ?? []).map((e) => e.text),
  ]);
}

// --- shared wording ---------------------------------------------------------------------------------------

describe('alert wording', () => {
  it('formats crypto prices to 6 significant figures, never with an exponent', () => {
    expect(formatPrice(0.000012)).toBe('0.000012');
    expect(formatPrice(0.00001234567)).toBe('0.0000123457');
    expect(formatPrice(0.00000001)).toBe('0.00000001');
    expect(formatPrice(1.23456789)).toBe('1.23457');
    expect(formatPrice(65_000)).toBe('65000');
    expect(formatPrice(65_000.5)).toBe('65000.5');
    expect(formatPrice(123_456_789)).toBe('123456789');
    expect(formatPrice(0)).toBe('0');
    for (const value of [1e-9, 3.3e-7, 0.1, 42, 99_999.99, 2.5e7])
      expect(formatPrice(value)).not.toMatch(/e/i);
  });

  it('signs R multiples to 2 decimals', () => {
    expect(formatR(2)).toBe('+2.00R');
    expect(formatR(-1)).toBe('-1.00R');
    expect(formatR(1.456)).toBe('+1.46R');
    expect(formatR(0)).toBe('0.00R');
    expect(formatR(-0.001)).toBe('0.00R');
  });

  it('says how late, from the close or from when it was raised', () => {
    expect(lateNote(12 * 60_000 + 59_000, true)).toBe('⚠️ late: 12 min after the close');
    expect(lateNote(65 * 60_000, false)).toBe('⚠️ late: 1 h 5 min after it was raised');
    expect(lateNote(51 * 3_600_000, true)).toBe('⚠️ late: 2 d 3 h after the close');
  });

  it('clips after escaping, never inside an escape or a surrogate pair', () => {
    const escape = (s: string) => s.replace(/&/g, '&amp;');
    expect(clip('&&&&', 12, escape)).toBe('&amp;&amp;…');
    expect(clip('🟢🟢🟢', 5)).toBe('🟢🟢…');
    expect(clip('short', 10, escape)).toBe('short');
  });
});

// --- Telegram -----------------------------------------------------------------------------------------------

describe('telegram channel', () => {
  it('posts sendMessage with the chat, the text, the parse mode and no link preview', () => {
    const request = telegram.request(TG_HTML, ONE_SIGNAL, CONTEXT);
    expect(request.url).toBe(`https://api.telegram.org/bot${TEST_SECRETS.TEST_BOT_TOKEN}/sendMessage`);
    expect(request.headers).toEqual({ 'Content-Type': 'application/json' });
    const body = bodyOf(request) as unknown as TelegramBody;
    expect(body).toEqual({
      chat_id: '-1001234567890',
      text: expect.any(String) as string,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
    expect(body.text).toContain('<b>New signal</b>');
    expect(body.text).toContain('<b>🟢 LONG PEPE/USDT:USDT · score 90</b>');
    expect(body.text).toContain('Entry 0.000012 · Stop 0.0000114 · Target 0.0000132 · Agree 1h, 15m, 5m');
    expect(body.text).toContain('• EMA 20 above EMA 50 on 1h\n• RSI 58 on 15m');
    expect(body.text).toContain(`<a href="${CYCLE_URL}">Open in Temporal</a>`);
    expect(body.text).toContain('<i>cycle scan-2024-05-01T12:00</i>');
    expect(body.text).not.toContain('late');
  });

  it('keeps a custom base URL without doubling its slash', () => {
    const request = telegram.request({ ...TG_HTML, baseUrl: 'http://127.0.0.1:8081/' }, TEST, CONTEXT);
    expect(request.url).toBe(`http://127.0.0.1:8081/bot${TEST_SECRETS.TEST_BOT_TOKEN}/sendMessage`);
  });

  it('escapes &, < and > in HTML: only its own tags remain', () => {
    const text = telegramText(HOSTILE);
    expect(text).toContain('EMA &lt;b&gt;&amp;&lt;/b&gt; cross');
    const withoutTags = text.replace(/<\/?(b|i)>|<a href="[^"<>]*">|<\/a>/g, '');
    expect(withoutTags).not.toMatch(/[<>]/);
    expect(withoutTags.replace(/&(amp|lt|gt|quot);/g, '')).not.toContain('&');
  });

  it('escapes every MarkdownV2 special and backslash, in our own words too', () => {
    const request = telegram.request(TG_MD, HOSTILE, LATE);
    const body = bodyOf(request) as unknown as TelegramBody;
    expect(body.parse_mode).toBe('MarkdownV2');
    expect(body.chat_id).toBe('42');
    expect(body.text).toContain('specials \\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\ end');
    expect(body.text).toContain('EMA <b\\>&</b\\> cross');
    // Outside escapes and the link's URL, the only specials left are our bold, italic and link markup.
    const link = `[Open in Temporal](${CYCLE_URL})`;
    expect(body.text).toContain(link);
    const bare = body.text.replace(link, '').replace(/\\[\s\S]/g, '');
    expect(bare.replace(/[*_]/g, '')).not.toMatch(/[[\]()~`>#+\-=|{}.!\\]/);
    expect(body.text).toContain('⚠️ late: 12 min after the close');
  });

  it('keeps a digest of 60 signals within 4096 characters and says how many were left out', () => {
    for (const d of [TG_HTML, TG_MD]) {
      const text = telegramText(DIGEST, LATE, d);
      expect(text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_MAX);
      const shown = text.match(/score \d+/g)?.length ?? 0;
      expect(shown).toBeGreaterThan(5);
      const more = /… and (\d+) more signals left out/.exec(text.replace(/\\/g, ''));
      expect(Number(more?.[1])).toBe(60 - shown);
      expect(text).toContain('60 new signals');
      expect(text).toContain('Open in Temporal');
    }
  });

  it('keeps huge reasons within the limit too', () => {
    const huge = signalsMessage(
      Array.from({ length: 5 }, (_, i) =>
        signal(i, { reasons: Array.from({ length: 20 }, () => '&'.repeat(2000)) }),
      ),
    );
    for (const d of [TG_HTML, TG_MD]) expect(telegramText(huge, LATE, d).length).toBeLessThanOrEqual(4096);
  });

  it('says it is late only when it is', () => {
    for (const message of ALL_KINDS) {
      expect(telegramText(message)).not.toContain('late:');
      expect(telegramText(message, LATE)).toContain('⚠️ late: 12 min');
    }
    expect(telegramText(TEST, LATE)).toContain('⚠️ late: 12 min after it was raised');
  });

  it('words outcomes, cycles and tests', () => {
    const outcome = telegramText(OUTCOME);
    expect(outcome).toContain('🎯 Target hit');
    expect(outcome).toContain('🔴 SHORT BTC/USDT:USDT · +2.00R');
    expect(outcome).toContain('Entry → exit 65000 → 63000 · R +2.00R');
    const missing = telegramText(MISSING);
    expect(missing).toContain('❔ Outcome missing');
    expect(missing).toContain('Entry → exit 65000 → none · R n/a');
    expect(missing).toContain('• the symbol was delisted');
    const cycle = telegramText(CYCLE);
    expect(cycle).toContain('⚠️ Cycle degraded');
    expect(cycle).toContain('Scanned 170/180 symbols, 10 failed');
    expect(cycle).toContain('• ETH/USDT:USDT: timeout after 10 s');
    expect(telegramText({ ...CYCLE, status: 'failed' })).toContain('❌ Cycle failed');
    const test = telegramText(TEST);
    expect(test).toContain('test from the market scanner for destination desk');
    expect(test).toContain('2024-05-01 12:00:05 UTC');
  });

  it('reads its answers', () => {
    const h = headers();
    expect(telegram.answer(200, h, json({ ok: true, result: { message_id: 1 } }))).toEqual({ ok: true });
    expect(
      telegram.answer(
        429,
        h,
        json({
          ok: false,
          error_code: 429,
          description: 'Too Many Requests: retry after 7',
          parameters: { retry_after: 7 },
        }),
      ),
    ).toEqual({
      ok: false,
      temporary: true,
      reason: 'telegram 429: Too Many Requests: retry after 7',
      retryAfterMs: 7000,
    });
    expect(
      telegram.answer(502, h, json({ ok: false, error_code: 502, description: 'Bad Gateway' })),
    ).toMatchObject({ ok: false, temporary: true });
    const permanent: Array<[number, string]> = [
      [400, 'Bad Request: chat not found'],
      [401, 'Unauthorized'],
      [403, 'Forbidden: bot was blocked by the user'],
      [404, 'Not Found'],
    ];
    for (const [status, description] of permanent) {
      expect(telegram.answer(status, h, json({ ok: false, error_code: status, description }))).toEqual({
        ok: false,
        temporary: false,
        reason: `telegram ${status}: ${description}`,
      });
    }
    expect(
      telegram.answer(
        400,
        h,
        json({
          ok: false,
          error_code: 400,
          description: 'Bad Request: group chat was upgraded to a supergroup chat',
          parameters: { migrate_to_chat_id: -1009876 },
        }),
      ),
    ).toMatchObject({
      temporary: false,
      reason: expect.stringContaining('the chat is now -1009876') as string,
    });
  });

  it('reads a non-JSON answer by its status', () => {
    const page = '<html><body>502 Bad Gateway</body></html>';
    expect(telegram.answer(502, headers(), page)).toEqual({
      ok: false,
      temporary: true,
      reason: 'telegram 502',
    });
    expect(telegram.answer(503, headers({ 'Retry-After': '4' }), 'busy')).toEqual({
      ok: false,
      temporary: true,
      reason: 'telegram 503: busy',
      retryAfterMs: 4000,
    });
    expect(telegram.answer(404, headers(), page)).toMatchObject({ ok: false, temporary: false });
    expect(telegram.answer(200, headers(), 'ok')).toEqual({ ok: true });
  });
});

// --- Discord --------------------------------------------------------------------------------------------------

describe('discord channel', () => {
  it('posts to the webhook with ?wait=true, keeping its query', () => {
    expect(discord.request(DISCORD, ONE_SIGNAL, CONTEXT).url).toBe(
      `${TEST_SECRETS.TEST_DISCORD_URL}?wait=true`,
    );
    const threaded = { ...DISCORD, webhookUrl: 'https://discord.com/api/webhooks/1/tok?thread_id=99' };
    const url = new URL(discord.request(threaded, ONE_SIGNAL, CONTEXT).url);
    expect(url.pathname).toBe('/api/webhooks/1/tok');
    expect(url.searchParams.get('thread_id')).toBe('99');
    expect(url.searchParams.get('wait')).toBe('true');
  });

  it('sends one embed per signal, coloured by side, linking the cycle, pinging no one', () => {
    const request = discord.request(DISCORD, ONE_SIGNAL, CONTEXT);
    expect(request.headers).toEqual({ 'Content-Type': 'application/json' });
    const body = discordBody(ONE_SIGNAL);
    expect(body.username).toBe('Market scanner');
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toBe('**New signal**');
    expect(body.embeds).toHaveLength(1);
    const [embed] = body.embeds;
    expect(embed).toEqual({
      title: '🟢 LONG PEPE/USDT:USDT · score 90',
      description: '• EMA 20 above EMA 50 on 1h\n• RSI 58 on 15m',
      url: CYCLE_URL,
      color: 0x2ecc71,
      fields: [
        { name: 'Entry', value: '0.000012', inline: true },
        { name: 'Stop', value: '0.0000114', inline: true },
        { name: 'Target', value: '0.0000132', inline: true },
        { name: 'Agree', value: '1h, 15m, 5m', inline: true },
      ],
      footer: { text: 'cycle scan-2024-05-01T12:00' },
    });
    const short = discordBody(signalsMessage([signal(1)]));
    expect(short.embeds[0]!.color).toBe(0xe74c3c);
    expect(short.embeds[0]!.title).toContain('🔴 SHORT');
    expect(discordBody(signalsMessage([signal(0)], { cycleUrl: undefined })).embeds[0]!.url).toBeUndefined();
  });

  it("escapes Discord's markdown in what it did not write", () => {
    const body = discordBody(
      signalsMessage([signal(0, { reasons: ['**bold** _it_ `code` <@123> @everyone ||spoiler|| [x](y)'] })]),
    );
    expect(body.embeds[0]!.description).toBe(
      '• \\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\<@123\\> @everyone \\|\\|spoiler\\|\\| \\[x\\](y)',
    );
    expect(body.allowed_mentions.parse).toEqual([]);
  });

  it('keeps a digest of 60 signals within 10 embeds and 6000 characters, saying what was left out', () => {
    const body = discordBody(DIGEST, LATE);
    expect(body.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
    expect(body.embeds).toHaveLength(10);
    expect(body.embeds.reduce((sum, e) => sum + embedChars(e), 0)).toBeLessThanOrEqual(6000);
    expect(body.content).toBe(
      '**60 new signals**\n⚠️ late: 12 min after the close\n… and 50 more signals left out',
    );
    // Discord merges embeds that share a url: each has its own.
    expect(new Set(body.embeds.map((e) => e.url)).size).toBe(10);
    expect(body.embeds.every((e) => e.url?.startsWith(`${CYCLE_URL}#`))).toBe(true);
    expect(body.embeds.filter((e) => e.footer)).toHaveLength(1);
    expect(body.embeds.at(-1)!.footer).toEqual({ text: 'cycle scan-2024-05-01T12:00' });
  });

  it('stops adding embeds before 6000 characters', () => {
    const wordy = signalsMessage(
      Array.from({ length: 12 }, (_, i) =>
        signal(i, { reasons: Array.from({ length: 12 }, () => 'x'.repeat(600)) }),
      ),
    );
    const body = discordBody(wordy);
    const total = body.embeds.reduce((sum, e) => sum + embedChars(e), 0);
    expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.total);
    expect(body.embeds.length).toBeLessThan(10);
    expect(body.content).toContain(`… and ${12 - body.embeds.length} more signals left out`);
    for (const e of body.embeds) {
      expect(e.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
      expect(e.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
      expect(e.fields.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
      for (const f of e.fields) {
        expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
        expect(f.value.length).toBeGreaterThan(0);
        expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      }
    }
  });

  it('says it is late only when it is, and words the other messages', () => {
    for (const message of ALL_KINDS) {
      expect(discordBody(message).content).not.toContain('late:');
      expect(discordBody(message, LATE).content).toContain('⚠️ late: 12 min');
    }
    expect(discordBody(OUTCOME).embeds[0]).toMatchObject({
      title: '🔴 SHORT BTC/USDT:USDT · +2.00R',
      color: 0xe74c3c,
      fields: [
        { name: 'Entry → exit', value: '65000 → 63000' },
        { name: 'R', value: '+2.00R' },
      ],
    });
    expect(discordBody(CYCLE)).toMatchObject({
      content: '**⚠️ Cycle degraded**',
      embeds: [{ title: 'Scanned 170/180 symbols, 10 failed', color: 0xf1c40f }],
    });
    expect(discordBody(TEST).embeds[0]!.description).toContain(
      'test from the market scanner for destination desk',
    );
  });

  it('reads its answers, with the pause its rate limit asks for', () => {
    expect(discord.answer(200, headers(), '{"id":"1"}')).toEqual({ ok: true });
    expect(discord.answer(204, headers({ 'X-RateLimit-Remaining': '3' }), '')).toEqual({ ok: true });
    expect(
      discord.answer(200, headers({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset-After': '1.5' }), '{}'),
    ).toEqual({ ok: true, pauseMs: 1500 });
    expect(
      discord.answer(
        429,
        headers({ 'Retry-After': '9' }),
        json({ message: 'You are being rate limited.', retry_after: 2.5, global: false }),
      ),
    ).toEqual({
      ok: false,
      temporary: true,
      reason: 'discord 429: You are being rate limited.',
      retryAfterMs: 2500,
    });
    expect(discord.answer(429, headers({ 'Retry-After': '3' }), '<html>Cloudflare</html>')).toEqual({
      ok: false,
      temporary: true,
      reason: 'discord 429',
      retryAfterMs: 3000,
    });
    expect(
      discord.answer(
        429,
        headers(),
        json({ message: 'You are being rate limited.', retry_after: 1, global: true }),
      ),
    ).toMatchObject({
      reason: 'discord 429: You are being rate limited. (global rate limit)',
      retryAfterMs: 1000,
    });
    expect(discord.answer(503, headers(), 'upstream connect error')).toEqual({
      ok: false,
      temporary: true,
      reason: 'discord 503: upstream connect error',
    });
    const permanent: Array<[number, string]> = [
      [400, 'Invalid Form Body'],
      [401, '401: Unauthorized'],
      [403, 'Missing Permissions'],
      [404, 'Unknown Webhook'],
    ];
    for (const [status, message] of permanent) {
      expect(discord.answer(status, headers(), json({ message, code: 10015 }))).toEqual({
        ok: false,
        temporary: false,
        reason: `discord ${status}: ${message}`,
      });
    }
    expect(discord.answer(404, headers(), '<html>not found</html>')).toEqual({
      ok: false,
      temporary: false,
      reason: 'discord 404',
    });
  });
});

// --- Slack ------------------------------------------------------------------------------------------------------

describe('slack channel', () => {
  it('posts blocks and a plain fallback to the incoming webhook', () => {
    const request = slack.request(SLACK, ONE_SIGNAL, CONTEXT);
    expect(request.url).toBe(TEST_SECRETS.TEST_SLACK_URL);
    expect(request.headers).toEqual({ 'Content-Type': 'application/json' });
    const body = slackBody(ONE_SIGNAL);
    expect(Object.keys(body).sort()).toEqual(['blocks', 'text']);
    expect(body.text).toBe('New signal: 🟢 LONG PEPE/USDT:USDT · score 90');
    expect(body.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'New signal', emoji: true } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*🟢 LONG PEPE/USDT:USDT · score 90*\n• EMA 20 above EMA 50 on 1h\n• RSI 58 on 15m',
        },
        fields: [
          { type: 'mrkdwn', text: '*Entry*\n0.000012' },
          { type: 'mrkdwn', text: '*Stop*\n0.0000114' },
          { type: 'mrkdwn', text: '*Target*\n0.0000132' },
          { type: 'mrkdwn', text: '*Agree*\n1h, 15m, 5m' },
        ],
      },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'cycle scan-2024-05-01T12:00' },
          { type: 'mrkdwn', text: `<${CYCLE_URL}|Open in Temporal>` },
        ],
      },
    ]);
  });

  it('escapes &, < and > so a reason cannot mention the channel', () => {
    const body = slackBody(signalsMessage([signal(0, { symbol: 'A&B', reasons: ['<!channel> & <b>'] })]));
    const texts = [body.text, ...slackTexts(body)];
    expect(texts.join('\n')).toContain('• &lt;!channel&gt; &amp; &lt;b&gt;');
    expect(body.text).toContain('A&amp;B');
    for (const text of texts) {
      expect(text.replace(`<${CYCLE_URL}|Open in Temporal>`, '')).not.toMatch(/[<>]/);
      expect(text.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
    }
  });

  it('keeps a digest of 60 signals within 50 blocks and each text within its limit', () => {
    const body = slackBody(DIGEST, LATE);
    expect(body.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    const sections = body.blocks.filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(40);
    const texts = slackTexts(body).join('\n');
    expect(texts).toContain(`… and ${60 - sections.length} more signals left out`);
    expect(body.blocks.at(-1)!.elements!.at(-1)!.text).toBe(`<${CYCLE_URL}|Open in Temporal>`);
    const header = body.blocks[0]!;
    expect(header.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.header);
    const wordy = slackBody(
      signalsMessage([
        signal(0, { symbol: 'X'.repeat(400), reasons: Array.from({ length: 30 }, () => '<'.repeat(900)) }),
      ]),
    );
    for (const section of wordy.blocks.filter((b) => b.type === 'section')) {
      expect(section.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(section.fields!.length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of section.fields!) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
  });

  it('says it is late only when it is, and words the other messages', () => {
    for (const message of ALL_KINDS) {
      expect(JSON.stringify(slackBody(message))).not.toContain('late:');
      const late = slackBody(message, LATE);
      expect(late.blocks[1]).toEqual({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: expect.stringMatching(/^⚠️ late: 12 min/) as string }],
      });
      expect(late.text).toContain('⚠️ late: 12 min');
    }
    expect(slackBody(OUTCOME).text).toBe('🎯 Target hit: 🔴 SHORT BTC/USDT:USDT · +2.00R');
    expect(slackBody(CYCLE).text).toBe('⚠️ Cycle degraded: Scanned 170/180 symbols, 10 failed');
    expect(slackBody(TEST).text).toBe('🔔 Test from the market scanner for destination desk');
  });

  it('reads its answers', () => {
    expect(slack.answer(200, headers(), 'ok')).toEqual({ ok: true });
    expect(slack.answer(429, headers({ 'Retry-After': '30' }), 'rate_limited')).toEqual({
      ok: false,
      temporary: true,
      reason: 'slack 429: rate_limited',
      retryAfterMs: 30_000,
    });
    expect(slack.answer(500, headers(), 'rollup_error')).toEqual({
      ok: false,
      temporary: true,
      reason: 'slack 500: rollup_error',
    });
    const permanent: Array<[number, string]> = [
      [400, 'invalid_payload'],
      [400, 'no_text'],
      [403, 'invalid_token'],
      [403, 'action_prohibited'],
      [404, 'no_service'],
      [404, 'channel_not_found'],
      [410, 'channel_is_archived'],
    ];
    for (const [status, text] of permanent) {
      expect(slack.answer(status, headers(), text)).toEqual({
        ok: false,
        temporary: false,
        reason: `slack ${status}: ${text}`,
      });
    }
  });
});

// --- generic webhook --------------------------------------------------------------------------------------------

describe('webhook channel', () => {
  it('posts the message as is, with its id, its time and whether it is late', () => {
    const request = webhook.request(WEBHOOK, OUTCOME, CONTEXT);
    expect(request.url).toBe('http://127.0.0.1:9/hook');
    expect(request.headers).toEqual({
      'Content-Type': 'application/json',
      'Idempotency-Key': 'outbox-42:desk',
      'X-Scanner-Timestamp': String(Math.floor(NOW / 1000)),
      'X-Scanner-Signature': expect.stringMatching(/^sha256=[0-9a-f]{64}$/) as string,
    });
    expect(bodyOf(request)).toEqual({
      id: 'outbox-42:desk',
      type: 'outcome',
      sentAt: '2024-05-01T12:00:05.000Z',
      late: false,
      message: OUTCOME,
    });
    expect(bodyOf(webhook.request(WEBHOOK, DIGEST, LATE))).toMatchObject({
      type: 'signals',
      late: true,
      message: DIGEST,
    });
    // The same request on every retry: the receiver can drop a duplicate.
    expect(webhook.request(WEBHOOK, OUTCOME, CONTEXT)).toEqual(request);
  });

  it('signs timestamp.body with HMAC-SHA256, which verifyWebhookSignature checks', () => {
    const request = webhook.request(WEBHOOK, ONE_SIGNAL, CONTEXT);
    const timestamp = request.headers['X-Scanner-Timestamp']!;
    const signature = request.headers['X-Scanner-Signature']!;
    const expected = createHmac('sha256', TEST_SECRETS.TEST_HMAC)
      .update(`${timestamp}.${request.body}`)
      .digest('hex');
    expect(signature).toBe(`sha256=${expected}`);
    const secret = TEST_SECRETS.TEST_HMAC;
    expect(verifyWebhookSignature(secret, timestamp, signature, request.body, NOW)).toBe(true);
    expect(verifyWebhookSignature(secret, timestamp, signature, request.body, NOW + 299_000)).toBe(true);
    expect(verifyWebhookSignature(secret, timestamp, signature, `${request.body} `, NOW)).toBe(false);
    expect(
      verifyWebhookSignature(secret, timestamp, signature, request.body.replace('PEPE', 'PEPO'), NOW),
    ).toBe(false);
    expect(verifyWebhookSignature('another-secret', timestamp, signature, request.body, NOW)).toBe(false);
    expect(verifyWebhookSignature(secret, timestamp, signature, request.body, NOW + 600_000)).toBe(false);
    expect(verifyWebhookSignature(secret, timestamp, signature, request.body, NOW - 600_000)).toBe(false);
    expect(verifyWebhookSignature(secret, String(Number(timestamp) + 1), signature, request.body, NOW)).toBe(
      false,
    );
    expect(
      verifyWebhookSignature(
        secret,
        timestamp,
        signature.toUpperCase().replace('SHA256', 'sha256'),
        request.body,
        NOW,
      ),
    ).toBe(true);
    for (const bad of [undefined, '', 'sha256=', 'sha1=abc', expected, `sha256=${expected.slice(2)}`]) {
      expect(verifyWebhookSignature(secret, timestamp, bad, request.body, NOW)).toBe(false);
    }
    for (const bad of [undefined, '', 'soon', '-1', `${timestamp}.5`]) {
      expect(verifyWebhookSignature(secret, bad, signature, request.body, NOW)).toBe(false);
    }
  });

  it('reads its answers: retry on 408, 425, 429 and 5xx, after Retry-After in seconds or as a date', () => {
    expect(webhook.answer(200, headers(), '')).toEqual({ ok: true });
    expect(webhook.answer(202, headers(), 'queued')).toEqual({ ok: true });
    for (const status of [408, 425, 429, 500, 503]) {
      expect(webhook.answer(status, headers({ 'Retry-After': '12' }), '')).toEqual({
        ok: false,
        temporary: true,
        reason: `webhook ${status}`,
        retryAfterMs: 12_000,
      });
    }
    const dated = headers({
      Date: 'Wed, 01 May 2024 12:00:00 GMT',
      'Retry-After': 'Wed, 01 May 2024 12:01:30 GMT',
    });
    expect(webhook.answer(503, dated, 'maintenance')).toEqual({
      ok: false,
      temporary: true,
      reason: 'webhook 503: maintenance',
      retryAfterMs: 90_000,
    });
    expect(webhook.answer(503, headers({ 'Retry-After': 'whenever' }), '')).toEqual({
      ok: false,
      temporary: true,
      reason: 'webhook 503',
    });
    const long = json({ error: 'x'.repeat(1000) });
    const answer = webhook.answer(422, headers({ 'Retry-After': '5' }), long);
    expect(answer).toMatchObject({ ok: false, temporary: false });
    expect(answer).not.toHaveProperty('retryAfterMs');
    const reason = (answer as Extract<ChannelAnswer, { ok: false }>).reason;
    expect(reason.startsWith('webhook 422: {"error":"xxx')).toBe(true);
    expect(reason.length).toBeLessThanOrEqual('webhook 422: '.length + 200);
    expect(webhook.answer(401, headers(), 'bad signature\nsecond line')).toEqual({
      ok: false,
      temporary: false,
      reason: 'webhook 401: bad signature second line',
    });
  });
});

// --- as the receivers read them ---------------------------------------------------------------------------------

describe('every message, as the receivers validate it', () => {
  it("passes Telegram's parsers, Discord's form checks and Slack's block limits, hostile text and all", () => {
    const hostile = [HOSTILE_HTML, `x ${MARKDOWN_SPECIALS}`, '&'.repeat(3000), '**a** <@1> ||b|| <!channel>'];
    const messages: AlertMessage[] = [
      ...ALL_KINDS,
      HOSTILE,
      signalsMessage(
        Array.from({ length: 60 }, (_, i) => signal(i, { reasons: hostile })),
        { cycleUrl: `${CYCLE_URL}?a=1&b=(2)` },
      ),
      { ...CYCLE, status: 'failed', reasons: hostile },
    ];
    for (const message of messages) {
      for (const context of [CONTEXT, LATE]) {
        const html = parseTelegramHtml(telegramText(message, context, TG_HTML));
        expect(html.ok, JSON.stringify(html)).toBe(true);
        const markdown = parseTelegramMarkdownV2(telegramText(message, context, TG_MD));
        expect(markdown.ok, JSON.stringify(markdown)).toBe(true);
        expect(discordFormErrors(discordBody(message, context))).toBeUndefined();
        expect(slackBlocksValid(slackBody(message, context).blocks)).toBe(true);
      }
    }
  });
});

// --- bound channels ----------------------------------------------------------------------------------------------

describe('channelFor', () => {
  it('binds each destination to its channel', () => {
    const cases: Array<[Destination, (message: AlertMessage, context: RequestContext) => unknown]> = [
      [TG_HTML, (m, c) => telegram.request(TG_HTML, m, c)],
      [DISCORD, (m, c) => discord.request(DISCORD, m, c)],
      [SLACK, (m, c) => slack.request(SLACK, m, c)],
      [WEBHOOK, (m, c) => webhook.request(WEBHOOK, m, c)],
    ];
    for (const [d, direct] of cases) {
      const channel = channelFor(d);
      for (const message of ALL_KINDS) expect(channel.request(message, LATE)).toEqual(direct(message, LATE));
      expect(
        channel.answer(200, headers(), d.type === 'telegram' ? '{"ok":true,"result":{}}' : 'ok'),
      ).toEqual({
        ok: true,
      });
    }
  });

  it('never lets a reason carry a token or a webhook URL, even one the receiver echoes', () => {
    const cases: Array<[Destination, string[]]> = [
      [TG_HTML, [TEST_SECRETS.TEST_BOT_TOKEN, 'TEST-token-never-logged']],
      [TG_MD, [TEST_SECRETS.TEST_BOT_TOKEN, 'TEST-token-never-logged']],
      [
        DISCORD,
        [
          TEST_SECRETS.TEST_DISCORD_URL,
          '/api/webhooks/1/discord-token-never-logged',
          'discord-token-never-logged',
        ],
      ],
      [
        SLACK,
        [TEST_SECRETS.TEST_SLACK_URL, '/services/T0/B0/slack-token-never-logged', 'slack-token-never-logged'],
      ],
      [WEBHOOK, [TEST_SECRETS.TEST_HMAC, 'http://127.0.0.1:9/hook']],
    ];
    for (const [d, secrets] of cases) {
      const channel = channelFor(d);
      const echoes = secrets.flatMap((secret) => [
        secret,
        `Cannot POST ${secret}`,
        `${'x'.repeat(180)} ${secret}`,
        `${'y'.repeat(190)}${secret}`,
        `${'z'.repeat(195)}${secret}`,
      ]);
      for (const echo of echoes) {
        const bodies = [
          echo,
          json({ ok: false, error_code: 400, description: echo }),
          json({ message: echo, code: 0 }),
        ];
        for (const status of [400, 401, 403, 404, 410, 429, 500]) {
          for (const body of bodies) {
            const answer = channel.answer(status, headers(), body);
            expect(answer.ok).toBe(false);
            const reason = (answer as Extract<ChannelAnswer, { ok: false }>).reason;
            expect(reason).not.toMatch(/\n/);
            for (const secret of secrets) {
              expect(reason).not.toContain(secret);
              // Nor the first characters of one, where the reason was cut.
              const cut = reason.endsWith('…') ? reason.slice(0, -1) : '';
              for (let n = 4; n < secret.length; n++) expect(cut.endsWith(secret.slice(0, n))).toBe(false);
            }
          }
        }
      }
    }
  });
});
