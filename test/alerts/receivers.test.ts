/**
 * The local chat-API receivers (test/helpers/alert-receivers.ts) hold the
 * alert tests to what Telegram, Discord, Slack and the generic webhook
 * answer: here each documented answer, limit and fault is checked with plain
 * fetch, so a receiver that drifts from its API fails here first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Receiver,
  type ReceiverKind,
  type ReceiverOptions,
  startReceiver,
  webhookSignature,
} from '../helpers/alert-receivers.js';

const open: Receiver[] = [];

async function receiver(kind: ReceiverKind, options?: ReceiverOptions): Promise<Receiver> {
  const r = await startReceiver(kind, options);
  open.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

function post(url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

async function answer(response: Response): Promise<{ status: number; body: unknown }> {
  const text = await response.text();
  return { status: response.status, body: text === '' ? '' : (JSON.parse(text) as unknown) };
}

async function plain(response: Response): Promise<{ status: number; body: string }> {
  return { status: response.status, body: await response.text() };
}

function sendMessageUrl(r: Receiver, token = r.target.botToken!): string {
  return `${r.target.baseUrl}/bot${token}/sendMessage`;
}

/** A POST to the generic webhook, signed as the product signs it. */
function signed(
  r: Receiver,
  body: unknown,
  key: string,
  options: { timestamp?: number; secret?: string } = {},
) {
  const raw = JSON.stringify(body);
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return post(r.target.url!, raw, {
    'X-Scanner-Timestamp': timestamp,
    'X-Scanner-Signature': webhookSignature(options.secret ?? r.target.secret!, timestamp, raw),
    'Idempotency-Key': key,
  });
}

function telegramError(status: number, description: string) {
  return { status, body: { ok: false, error_code: status, description } };
}

/** Resolves once `r` has seen `n` attempts. */
async function attempted(r: Receiver, n: number): Promise<void> {
  while (r.attempts < n) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('telegram', () => {
  it('answers sendMessage with the message sent, for a JSON body and for a form', async () => {
    const r = await receiver('telegram', { enforceLimits: false });
    expect(Object.keys(r.target).sort()).toEqual(['baseUrl', 'botToken', 'chatId']);
    expect(r.target.botToken).toMatch(/^\d+:[\w-]{35}$/);

    const first = await answer(
      await post(sendMessageUrl(r), {
        chat_id: r.target.chatId,
        text: '<b>BTC</b> long',
        parse_mode: 'HTML',
      }),
    );
    expect(first).toMatchObject({
      status: 200,
      body: {
        ok: true,
        result: {
          message_id: 1,
          chat: { id: Number(r.target.chatId), type: 'private' },
          text: 'BTC long',
          entities: [{ type: 'bold', offset: 0, length: 3 }],
        },
      },
    });
    const date = (first.body as { result: { date: number } }).result.date;
    expect(Math.abs(date - Date.now() / 1000)).toBeLessThan(5);

    const form = await fetch(sendMessageUrl(r), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: r.target.chatId!, text: 'plain' }).toString(),
    });
    expect(await answer(form)).toMatchObject({ status: 200, body: { ok: true, result: { message_id: 2 } } });

    // Method names are case-insensitive, as the Bot API documents.
    const lower = await post(`${r.target.baseUrl}/bot${r.target.botToken}/sendmessage`, {
      chat_id: r.target.chatId,
      text: 'lower',
    });
    expect(lower.status).toBe(200);

    expect(r.received.map((m) => m.json)).toEqual([
      { chat_id: r.target.chatId, text: '<b>BTC</b> long', parse_mode: 'HTML' },
      { chat_id: r.target.chatId, text: 'plain' },
      { chat_id: r.target.chatId, text: 'lower' },
    ]);
    expect(r.received[0]).toMatchObject({ kind: 'telegram', path: `/bot${r.target.botToken}/sendMessage` });
    expect(r.attempts).toBe(3);
    expect(r.duplicates).toBe(0);
  });

  it('answers a wrong token 401 and an unknown method or path 404', async () => {
    const r = await receiver('telegram', { botToken: '123456:TEST-token-never-logged' });
    expect(r.target.botToken).toBe('123456:TEST-token-never-logged');
    const message = { chat_id: r.target.chatId, text: 'x' };
    expect(await answer(await post(sendMessageUrl(r, '123456:wrong'), message))).toEqual(
      telegramError(401, 'Unauthorized'),
    );
    expect(
      await answer(await post(`${r.target.baseUrl}/bot${r.target.botToken}/sendPhoto`, message)),
    ).toEqual(telegramError(404, 'Not Found'));
    expect(await answer(await post(`${r.target.baseUrl}/sendMessage`, message))).toEqual(
      telegramError(404, 'Not Found'),
    );
    expect(r.received).toEqual([]);
    expect(r.attempts).toBe(3);
  });

  it('answers 400 for what sendMessage refuses', async () => {
    const r = await receiver('telegram', { enforceLimits: false });
    const send = async (message: unknown) => answer(await post(sendMessageUrl(r), message));
    const chat_id = r.target.chatId;
    expect(await send({ text: 'x' })).toEqual(telegramError(400, 'Bad Request: chat_id is empty'));
    expect(await send({ chat_id })).toEqual(telegramError(400, 'Bad Request: message text is empty'));
    expect(await send({ chat_id, text: '  ' })).toEqual(
      telegramError(400, 'Bad Request: message text is empty'),
    );
    expect(await send({ chat_id, text: '<b></b>', parse_mode: 'HTML' })).toEqual(
      telegramError(400, 'Bad Request: message text is empty'),
    );
    expect(await send({ chat_id: '999', text: 'x' })).toEqual(
      telegramError(400, 'Bad Request: chat not found'),
    );
    expect(await send({ chat_id, text: 'x'.repeat(4097) })).toEqual(
      telegramError(400, 'Bad Request: message is too long'),
    );
    expect(await send({ chat_id, text: 'x', parse_mode: 'BBCode' })).toEqual(
      telegramError(400, 'Bad Request: unsupported parse_mode'),
    );
    expect(r.received).toEqual([]);

    // 4096 characters after entities parsing is fine: the tags do not count.
    expect((await send({ chat_id, text: `<b>${'x'.repeat(4096)}</b>`, parse_mode: 'HTML' })).status).toBe(
      200,
    );
    expect(r.received).toHaveLength(1);
  });

  it('parses HTML as Telegram does: allowed tags and entities pass', async () => {
    const r = await receiver('telegram', { enforceLimits: false });
    const html =
      '<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>' +
      '<span class="tg-spoiler">p</span><tg-spoiler>q</tg-spoiler><a href="https://x.test/?a=1&amp;b=2">a</a>' +
      '<code>c</code><pre><code class="language-ts">const</code></pre><blockquote expandable>q</blockquote>' +
      ' &lt;&gt;&amp;&quot;&#65;&#x42; 1 > 0';
    const { body } = await answer(
      await post(sendMessageUrl(r), { chat_id: r.target.chatId, text: html, parse_mode: 'HTML' }),
    );
    const result = (body as { result: { text: string; entities: { type: string; url?: string }[] } }).result;
    expect(result.text).toBe('bsieunskdpqacconstq <>&"AB 1 > 0');
    expect(result.entities.map((e) => e.type)).toEqual([
      'bold',
      'bold',
      'italic',
      'italic',
      'underline',
      'underline',
      'strikethrough',
      'strikethrough',
      'strikethrough',
      'spoiler',
      'spoiler',
      'text_link',
      'code',
      'pre',
      'expandable_blockquote',
    ]);
    expect(result.entities[11]).toMatchObject({ url: 'https://x.test/?a=1&b=2' });
    expect(result.entities[13]).toMatchObject({ language: 'ts' });
  });

  it.each([
    ['<div>x</div>', 'Unsupported start tag "div" at byte offset 0'],
    ['<b>x', 'Can\'t find end tag corresponding to start tag "b"'],
    ['x</b>', 'Unexpected end tag at byte offset 1'],
    ['<b><i>x</b></i>', 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'],
    ['price < 5', 'Unsupported start tag "" at byte offset 6'],
    ['é <b', 'Unclosed start tag at byte offset 3'],
    ['AT&T', 'Unsupported HTML entity at byte offset 2: a "&" must be written &amp;'],
    ['&nbsp;', 'Unsupported HTML entity at byte offset 0: a "&" must be written &amp;'],
    ['<span>x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
    ['<a href>x</a>', 'Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0'],
    ['<b>x</b >', undefined],
  ])('answers HTML %j as Telegram does', async (html, error) => {
    const r = await receiver('telegram', { enforceLimits: false });
    const response = await answer(
      await post(sendMessageUrl(r), { chat_id: r.target.chatId, text: html, parse_mode: 'HTML' }),
    );
    if (error === undefined) expect(response.status).toBe(200);
    else expect(response).toEqual(telegramError(400, `Bad Request: can't parse entities: ${error}`));
  });

  it('parses MarkdownV2: reserved characters must be escaped, entities must end', async () => {
    const r = await receiver('telegram', { enforceLimits: false });
    const send = async (text: string, parse_mode = 'MarkdownV2') =>
      answer(await post(sendMessageUrl(r), { chat_id: r.target.chatId, text, parse_mode }));
    const ok = await send(
      '*BTC* long at 65000\\.5 \\(\\+2\\%\\) [chart](https://x.test/a_(b\\)) `a.b` __u__ ||s||',
    );
    expect(ok).toMatchObject({
      status: 200,
      body: { result: { text: 'BTC long at 65000.5 (+2%) chart a.b u s' } },
    });
    expect(await send('65000.5')).toEqual(
      telegramError(
        400,
        "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
      ),
    );
    expect(await send('up -2')).toEqual(
      telegramError(
        400,
        "Bad Request: can't parse entities: Character '-' is reserved and must be escaped with the preceding '\\'",
      ),
    );
    expect(await send('x *bold')).toEqual(
      telegramError(400, "Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 2"),
    );
    // Legacy Markdown: no reserved characters, but an entity must end.
    expect((await send('65000.5 - up', 'Markdown')).status).toBe(200);
    expect(await send('a _b', 'Markdown')).toEqual(
      telegramError(
        400,
        "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 2",
      ),
    );
  });

  it('limits a chat to one message a second (retry_after), each chat on its own', async () => {
    const clock = manualClock();
    const r = await receiver('telegram', { now: clock.now, chatIds: ['4242', '4343'] });
    const send = async (chat_id: string) => answer(await post(sendMessageUrl(r), { chat_id, text: 'x' }));
    expect((await send('4242')).status).toBe(200);
    clock.t += 500;
    expect(await send('4242')).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        parameters: { retry_after: 1 },
      },
    });
    expect((await send('4343')).status).toBe(200);
    clock.t += 500;
    expect((await send('4242')).status).toBe(200);
    expect(r.received.map((m) => (m.json as { chat_id: string }).chat_id)).toEqual(['4242', '4343', '4242']);
    expect(r.attempts).toBe(4);

    r.enforceLimits = false;
    expect((await send('4242')).status).toBe(200);
  });

  it('limits a group to 20 messages a minute', async () => {
    const clock = manualClock();
    const group = '-1001234567890';
    const r = await receiver('telegram', { now: clock.now, chatIds: [group] });
    const send = async () => answer(await post(sendMessageUrl(r), { chat_id: group, text: `x${clock.t}` }));
    const first = clock.t;
    for (let n = 0; n < 20; n += 1) {
      expect((await send()).status).toBe(200);
      clock.t += 1_000;
    }
    expect(await send()).toMatchObject({ status: 429, body: { parameters: { retry_after: 40 } } });
    clock.t = first + 60_000;
    expect(await send()).toMatchObject({ status: 200, body: { result: { chat: { type: 'supergroup' } } } });
  });

  it('counts a repeated body as a duplicate and still records it', async () => {
    const r = await receiver('telegram', { enforceLimits: false });
    const message = { chat_id: r.target.chatId, text: 'same' };
    await post(sendMessageUrl(r), message);
    await post(sendMessageUrl(r), message);
    await post(sendMessageUrl(r), { ...message, text: 'other' });
    expect(r.received).toHaveLength(3);
    expect(r.duplicates).toBe(1);
  });
});

describe('discord', () => {
  const headersOf = (response: Response) =>
    Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('x-ratelimit')));

  it('answers 204 without wait, a message object with wait=true, with the rate-limit headers', async () => {
    const r = await receiver('discord');
    expect(r.target.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/webhooks\/\d+\/[\w-]+$/);
    const response = await post(r.target.webhookUrl!, { content: 'BTC long' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    const headers = headersOf(response);
    expect(headers).toMatchObject({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4' });
    expect(Number(headers['x-ratelimit-reset'])).toBeCloseTo(Date.now() / 1000 + 2, -1);
    expect(Number(headers['x-ratelimit-reset-after'])).toBeGreaterThan(1.5);
    expect(headers['x-ratelimit-bucket']).toMatch(/^[0-9a-f]{32}$/);

    const embed = { title: 'BTC', description: 'long', fields: [{ name: 'score', value: '80' }] };
    const waited = await answer(await post(`${r.target.webhookUrl}?wait=true`, { embeds: [embed] }));
    const webhookId = /webhooks\/(\d+)\//.exec(r.target.webhookUrl!)![1];
    expect(waited).toMatchObject({
      status: 200,
      body: {
        content: '',
        embeds: [{ type: 'rich', ...embed }],
        webhook_id: webhookId,
        author: { bot: true },
      },
    });
    const message = waited.body as { id: string; channel_id: string; timestamp: string };
    expect(message.id).toMatch(/^\d+$/);
    expect(message.channel_id).toMatch(/^\d+$/);
    expect(Date.parse(message.timestamp)).not.toBeNaN();
    expect(r.received.map((m) => m.json)).toEqual([{ content: 'BTC long' }, { embeds: [embed] }]);
    expect(r.received[1]!.path).toMatch(/\?wait=true$/);
  });

  it('answers an unknown webhook 404, a wrong token 401, bad JSON 50109 and an empty message 50006', async () => {
    const r = await receiver('discord', { enforceLimits: false });
    const url = new URL(r.target.webhookUrl!);
    const [, , , id] = url.pathname.split('/');
    const other = await post(`${url.origin}/api/webhooks/1234/${url.pathname.split('/').at(-1)}`, {
      content: 'x',
    });
    expect(await answer(other)).toEqual({ status: 404, body: { message: 'Unknown Webhook', code: 10015 } });
    expect(other.headers.get('x-ratelimit-limit')).toBe('5');
    expect(await answer(await post(`${url.origin}/api/webhooks/${id}/wrong`, { content: 'x' }))).toEqual({
      status: 401,
      body: { message: 'Invalid Webhook Token', code: 50027 },
    });
    expect(await answer(await post(r.target.webhookUrl!, '{"content":'))).toEqual({
      status: 400,
      body: { message: 'The request body contains invalid JSON.', code: 50109 },
    });
    for (const empty of [{}, { content: '' }, { embeds: [] }]) {
      expect(await answer(await post(r.target.webhookUrl!, empty))).toEqual({
        status: 400,
        body: { message: 'Cannot send an empty message', code: 50006 },
      });
    }
    expect(r.received).toEqual([]);
  });

  const long = (n: number) => 'x'.repeat(n);
  const maxLength = (max: number) => ({
    _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` }],
  });
  const required = { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] };
  it.each([
    ['content over 2000', { content: long(2001) }, { content: maxLength(2000) }],
    ['title over 256', { embeds: [{ title: long(257) }] }, { embeds: { 0: { title: maxLength(256) } } }],
    [
      'description over 4096',
      { embeds: [{ description: long(4097) }] },
      { embeds: { 0: { description: maxLength(4096) } } },
    ],
    [
      'more than 25 fields',
      { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] },
      { embeds: { 0: { fields: maxLength(25) } } },
    ],
    [
      'field name over 256, value over 1024',
      { embeds: [{ fields: [{ name: long(257), value: long(1025) }] }] },
      { embeds: { 0: { fields: { 0: { name: maxLength(256), value: maxLength(1024) } } } } },
    ],
    [
      'field without a value',
      { embeds: [{ fields: [{ name: 'n' }] }] },
      { embeds: { 0: { fields: { 0: { value: required } } } } },
    ],
    [
      'footer over 2048',
      { embeds: [{ footer: { text: long(2049) } }] },
      { embeds: { 0: { footer: { text: maxLength(2048) } } } },
    ],
    [
      'more than 10 embeds',
      { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) },
      { embeds: maxLength(10) },
    ],
    [
      'embeds over 6000 in total',
      { embeds: [{ description: long(4000) }, { description: long(2001) }] },
      {
        embeds: {
          _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }],
        },
      },
    ],
  ])('answers 50035 Invalid Form Body: %s', async (_name, body, errors) => {
    const r = await receiver('discord', { enforceLimits: false });
    expect(await answer(await post(r.target.webhookUrl!, body))).toEqual({
      status: 400,
      body: { code: 50035, errors, message: 'Invalid Form Body' },
    });
    expect(r.received).toEqual([]);
  });

  it('takes 5 requests per 2 s per webhook, then 429 until the window resets', async () => {
    const clock = manualClock();
    const r = await receiver('discord', { now: clock.now });
    const remaining: (string | null)[] = [];
    for (let n = 0; n < 5; n += 1) {
      const response = await post(r.target.webhookUrl!, { content: `m${n}` });
      expect(response.status).toBe(204);
      remaining.push(response.headers.get('x-ratelimit-remaining'));
      clock.t += 100;
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    // 500 ms into the window:
    const limited = await post(r.target.webhookUrl!, { content: 'm5' });
    expect(await answer(limited)).toEqual({
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 1.5, global: false },
    });
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(headersOf(limited)).toMatchObject({
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': ((clock.t + 1_500) / 1000).toFixed(3),
      'x-ratelimit-reset-after': '1.500',
      'x-ratelimit-scope': 'user',
    });
    clock.t += 1_500;
    const again = await post(r.target.webhookUrl!, { content: 'm6' });
    expect(again.status).toBe(204);
    expect(again.headers.get('x-ratelimit-remaining')).toBe('4');
    expect(r.received).toHaveLength(6);
    expect(r.attempts).toBe(7);
  });

  it('counts a repeated body as a duplicate and still records it', async () => {
    const r = await receiver('discord', { enforceLimits: false });
    await post(r.target.webhookUrl!, { content: 'same' });
    await post(r.target.webhookUrl!, { content: 'same' });
    expect(r.received).toHaveLength(2);
    expect(r.duplicates).toBe(1);
  });
});

describe('slack', () => {
  it('answers ok as text/plain, for JSON and for a payload= form', async () => {
    const r = await receiver('slack', { enforceLimits: false });
    expect(r.target.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/services\/T\w+\/B\w+\/\w+$/);
    const response = await post(r.target.webhookUrl!, { text: 'BTC long' });
    expect(await plain(response)).toEqual({ status: 200, body: 'ok' });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*BTC* long' } }];
    const form = await fetch(r.target.webhookUrl!, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ payload: JSON.stringify({ blocks }) }).toString(),
    });
    expect(await plain(form)).toEqual({ status: 200, body: 'ok' });
    expect(r.received.map((m) => m.json)).toEqual([{ text: 'BTC long' }, { blocks }]);
  });

  it('answers the documented errors', async () => {
    const r = await receiver('slack', { enforceLimits: false });
    const send = async (body: unknown, url = r.target.webhookUrl!) => plain(await post(url, body));
    const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
    expect(await send('not json')).toEqual({ status: 400, body: 'invalid_payload' });
    expect(await send({ text: 42 })).toEqual({ status: 400, body: 'invalid_payload' });
    expect(await send({})).toEqual({ status: 400, body: 'no_text' });
    expect(await send({ text: '', blocks: [] })).toEqual({ status: 400, body: 'no_text' });
    expect(await send({ blocks: Array.from({ length: 51 }, () => section('x')) })).toEqual({
      status: 400,
      body: 'invalid_blocks',
    });
    expect(await send({ blocks: [section('x'.repeat(3001))] })).toEqual({
      status: 400,
      body: 'invalid_blocks',
    });
    expect(await send({ blocks: [{ text: 'no type' }] })).toEqual({ status: 400, body: 'invalid_blocks' });
    expect((await send({ blocks: Array.from({ length: 50 }, () => section('x'.repeat(3000))) })).status).toBe(
      200,
    );

    const url = new URL(r.target.webhookUrl!);
    const [, , team, bot] = url.pathname.split('/');
    expect(await send({ text: 'x' }, `${url.origin}/services/${team}/${bot}/wrong`)).toEqual({
      status: 403,
      body: 'invalid_token',
    });
    expect(await send({ text: 'x' }, `${url.origin}/services/T0/B0/wrong`)).toEqual({
      status: 404,
      body: 'no_service',
    });
    expect(await send({ text: 'x' }, `${url.origin}/elsewhere`)).toEqual({ status: 404, body: 'no_service' });
    expect(r.received).toHaveLength(1);
  });

  it('takes one message a second, then 429 rate_limited with Retry-After', async () => {
    const clock = manualClock();
    const r = await receiver('slack', { now: clock.now });
    expect((await post(r.target.webhookUrl!, { text: 'a' })).status).toBe(200);
    clock.t += 999;
    const limited = await post(r.target.webhookUrl!, { text: 'b' });
    expect(await plain(limited)).toEqual({ status: 429, body: 'rate_limited' });
    expect(limited.headers.get('retry-after')).toBe('1');
    clock.t += 1;
    expect((await post(r.target.webhookUrl!, { text: 'b' })).status).toBe(200);
    expect(r.received.map((m) => m.body)).toEqual(['{"text":"a"}', '{"text":"b"}']);
  });

  it('counts a repeated body as a duplicate and still records it', async () => {
    const r = await receiver('slack', { enforceLimits: false });
    await post(r.target.webhookUrl!, { text: 'same' });
    await post(r.target.webhookUrl!, { text: 'same' });
    expect(r.received).toHaveLength(2);
    expect(r.duplicates).toBe(1);
  });
});

describe('webhook', () => {
  it('accepts a signed message and records its Idempotency-Key', async () => {
    const r = await receiver('webhook', { secret: 'hmac-secret' });
    expect(r.target).toEqual({ url: `${r.url}/hook`, secret: 'hmac-secret' });
    expect(await answer(await signed(r, { event: 'signal' }, 'k1'))).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(r.received).toMatchObject([
      { kind: 'webhook', path: '/hook', key: 'k1', json: { event: 'signal' } },
    ]);
    expect(r.received[0]!.headers['idempotency-key']).toBe('k1');
  });

  it('answers 401 to a missing, wrong or stale signature', async () => {
    const r = await receiver('webhook');
    const error = { status: 401, body: { error: expect.any(String) as unknown } };
    expect(await answer(await post(r.target.url!, { a: 1 }, { 'Idempotency-Key': 'k' }))).toEqual(error);
    expect(await answer(await signed(r, { a: 1 }, 'k', { secret: 'not-the-secret' }))).toEqual(error);

    // A valid signature over another body (tampered in transit).
    const timestamp = String(Math.floor(Date.now() / 1000));
    const tampered = await post(r.target.url!, '{"a":2}', {
      'X-Scanner-Timestamp': timestamp,
      'X-Scanner-Signature': webhookSignature(r.target.secret!, timestamp, '{"a":1}'),
      'Idempotency-Key': 'k',
    });
    expect(await answer(tampered)).toEqual(error);
    // Signed with one timestamp, sent with another.
    const shifted = await post(r.target.url!, '{"a":1}', {
      'X-Scanner-Timestamp': String(Number(timestamp) + 1),
      'X-Scanner-Signature': webhookSignature(r.target.secret!, timestamp, '{"a":1}'),
      'Idempotency-Key': 'k',
    });
    expect(await answer(shifted)).toEqual(error);
    expect(r.received).toEqual([]);
  });

  it('rejects a timestamp more than 300 s away, either way (replay)', async () => {
    const clock = manualClock();
    const r = await receiver('webhook', { now: clock.now });
    const seconds = clock.t / 1000;
    const replay = await answer(await signed(r, { a: 1 }, 'old', { timestamp: seconds - 301 }));
    expect(replay).toEqual({ status: 401, body: { error: expect.stringMatching(/300 s/) as unknown } });
    expect((await signed(r, { a: 1 }, 'future', { timestamp: seconds + 301 })).status).toBe(401);
    expect((await signed(r, { a: 1 }, 'edge-old', { timestamp: seconds - 300 })).status).toBe(200);
    expect((await signed(r, { a: 1 }, 'edge-new', { timestamp: seconds + 300 })).status).toBe(200);
    expect(r.received.map((m) => m.key)).toEqual(['edge-old', 'edge-new']);
  });

  it('answers a repeated Idempotency-Key {"duplicate":true} and records it once', async () => {
    const r = await receiver('webhook');
    expect((await signed(r, { n: 1 }, 'same-key')).status).toBe(200);
    expect(await answer(await signed(r, { n: 1, retry: true }, 'same-key'))).toEqual({
      status: 200,
      body: { duplicate: true },
    });
    expect((await signed(r, { n: 1 }, 'other-key')).status).toBe(200);
    expect(r.received.map((m) => m.key)).toEqual(['same-key', 'other-key']);
    expect(r.duplicates).toBe(1);
    expect(r.attempts).toBe(3);
  });

  it('answers 400 without an Idempotency-Key or a JSON body, 404 elsewhere', async () => {
    const r = await receiver('webhook');
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers = (raw: string) => ({
      'X-Scanner-Timestamp': timestamp,
      'X-Scanner-Signature': webhookSignature(r.target.secret!, timestamp, raw),
    });
    expect(await answer(await post(r.target.url!, '{}', headers('{}')))).toEqual({
      status: 400,
      body: { error: 'missing Idempotency-Key' },
    });
    expect(
      await answer(await post(r.target.url!, 'nope', { ...headers('nope'), 'Idempotency-Key': 'k' })),
    ).toEqual({
      status: 400,
      body: { error: 'body is not JSON' },
    });
    expect((await post(`${r.url}/other`, '{}')).status).toBe(404);
    expect(r.received).toEqual([]);
  });
});

describe('faults', () => {
  it('applies faults in order, each for its times, then answers normally', async () => {
    const r = await receiver('slack', { enforceLimits: false });
    r.fail({ type: 'status', status: 503, times: 2 });
    r.fail({ type: 'rate-limit', retryAfterSeconds: 7, times: 1 });
    const statuses: number[] = [];
    for (let n = 0; n < 4; n += 1)
      statuses.push((await post(r.target.webhookUrl!, { text: `m${n}` })).status);
    expect(statuses).toEqual([503, 503, 429, 200]);
    expect(r.attempts).toBe(4);
    expect(r.received.map((m) => m.body)).toEqual(['{"text":"m3"}']);
  });

  it('keeps a fault without times until heal()', async () => {
    const r = await receiver('webhook');
    r.fail({ type: 'status', status: 500 });
    for (let n = 0; n < 3; n += 1) expect((await signed(r, { n }, `k${n}`)).status).toBe(500);
    r.heal();
    expect((await signed(r, { n: 3 }, 'k3')).status).toBe(200);
    expect(r.received.map((m) => m.key)).toEqual(['k3']);
    expect(r.attempts).toBe(4);
  });

  it('answers a 5xx fault with each API’s error body', async () => {
    const telegram = await receiver('telegram');
    telegram.fail({ type: 'status', status: 502, times: 1 });
    expect(
      await answer(await post(sendMessageUrl(telegram), { chat_id: telegram.target.chatId, text: 'x' })),
    ).toEqual(telegramError(502, 'Bad Gateway'));

    const discord = await receiver('discord');
    discord.fail({ type: 'status', status: 500, times: 1 });
    const discordAnswer = await post(discord.target.webhookUrl!, { content: 'x' });
    expect(discordAnswer.headers.get('x-ratelimit-limit')).toBe('5');
    expect(await answer(discordAnswer)).toEqual({
      status: 500,
      body: { message: '500: Internal Server Error', code: 0 },
    });

    const slack = await receiver('slack');
    slack.fail({ type: 'status', status: 500, times: 1 });
    expect(await plain(await post(slack.target.webhookUrl!, { text: 'x' }))).toEqual({
      status: 500,
      body: 'rollup_error',
    });

    const webhook = await receiver('webhook');
    webhook.fail({ type: 'status', status: 503, times: 1 });
    expect(await answer(await signed(webhook, { a: 1 }, 'k'))).toEqual({
      status: 503,
      body: { error: 'Service Unavailable' },
    });
    for (const r of [telegram, discord, slack, webhook]) {
      expect(r.received).toEqual([]);
      expect(r.attempts).toBe(1);
    }
  });

  it('answers a rate-limit fault with each API’s 429', async () => {
    const telegram = await receiver('telegram');
    telegram.fail({ type: 'rate-limit', retryAfterSeconds: 12 });
    expect(
      await answer(await post(sendMessageUrl(telegram), { chat_id: telegram.target.chatId, text: 'x' })),
    ).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 12',
        parameters: { retry_after: 12 },
      },
    });

    const discord = await receiver('discord');
    discord.fail({ type: 'rate-limit', retryAfterSeconds: 3 });
    const discordAnswer = await post(discord.target.webhookUrl!, { content: 'x' });
    expect(discordAnswer.headers.get('retry-after')).toBe('3');
    expect(discordAnswer.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await answer(discordAnswer)).toEqual({
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 3, global: false },
    });

    const slack = await receiver('slack');
    slack.fail({ type: 'rate-limit', retryAfterSeconds: 30 });
    const slackAnswer = await post(slack.target.webhookUrl!, { text: 'x' });
    expect(slackAnswer.headers.get('retry-after')).toBe('30');
    expect(await plain(slackAnswer)).toEqual({ status: 429, body: 'rate_limited' });

    const webhook = await receiver('webhook');
    webhook.fail({ type: 'rate-limit', retryAfterSeconds: 5 });
    const webhookAnswer = await signed(webhook, { a: 1 }, 'k');
    expect(webhookAnswer.status).toBe(429);
    expect(webhookAnswer.headers.get('retry-after')).toBe('5');
  });

  it('hangs: no answer within 500 ms, an attempt but nothing received', async () => {
    const r = await receiver('discord');
    r.fail({ type: 'hang', times: 1 });
    const started = Date.now();
    await expect(
      post(r.target.webhookUrl!, { content: 'x' }, {}, AbortSignal.timeout(500)),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(r.attempts).toBe(1);
    expect(r.received).toEqual([]);
    // The fault was for one request only.
    expect((await post(r.target.webhookUrl!, { content: 'x' })).status).toBe(204);
    expect(r.received).toHaveLength(1);
  });

  it('heal() releases hung requests by destroying them', async () => {
    const r = await receiver('telegram');
    r.fail({ type: 'hang' });
    const hung = post(sendMessageUrl(r), { chat_id: r.target.chatId, text: 'x' });
    const outcome = hung.then(
      () => 'answered',
      (error: unknown) => error,
    );
    await attempted(r, 1);
    r.heal();
    expect(await outcome).toBeInstanceOf(TypeError); // fetch failed: other side closed
    expect(r.received).toEqual([]);
    expect((await post(sendMessageUrl(r), { chat_id: r.target.chatId, text: 'x' })).status).toBe(200);
  });

  it('resets: the socket is destroyed on arrival, fetch fails', async () => {
    const r = await receiver('slack');
    r.fail({ type: 'reset', times: 1 });
    await expect(post(r.target.webhookUrl!, { text: 'x' })).rejects.toBeInstanceOf(TypeError);
    expect(r.attempts).toBe(1);
    expect(r.received).toEqual([]);
    expect((await post(r.target.webhookUrl!, { text: 'x' })).status).toBe(200);
  });

  it('commits a delayed answer only if the client still waits for it', async () => {
    const r = await receiver('webhook');
    r.fail({ type: 'delay', ms: 300, times: 2 });
    expect((await signed(r, { a: 1 }, 'waited')).status).toBe(200);
    expect(r.received.map((m) => m.key)).toEqual(['waited']);

    // The client gives up before the answer: nothing was sent.
    const raw = JSON.stringify({ a: 2 });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers = {
      'X-Scanner-Timestamp': timestamp,
      'X-Scanner-Signature': webhookSignature(r.target.secret!, timestamp, raw),
      'Idempotency-Key': 'gave-up',
    };
    await expect(post(r.target.url!, raw, headers, AbortSignal.timeout(100))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.attempts).toBe(2);
    expect(r.received.map((m) => m.key)).toEqual(['waited']);
  });

  it('close() ends the server with its hung requests', async () => {
    const r = await startReceiver('webhook');
    r.fail({ type: 'hang' });
    const outcome = signed(r, { a: 1 }, 'k').then(
      () => 'answered',
      (error: unknown) => error,
    );
    await attempted(r, 1);
    const started = Date.now();
    await r.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await outcome).toBeInstanceOf(TypeError);
    await expect(fetch(r.target.url!, { method: 'POST' })).rejects.toBeInstanceOf(TypeError);
    await r.close(); // twice is fine
  });
});
