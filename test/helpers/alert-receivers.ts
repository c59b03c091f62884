/**
 * @module
 * Local HTTP receivers that answer as each chat API documents, for the alert
 * delivery tests: there is no network here, so a test starts one on
 * 127.0.0.1 (port 0), points a destination at `receiver.target`, and reads
 * what was committed from `receiver.received`. Faults (`fail`) make it answer
 * 5xx or 429, hang, reset the socket, or answer late; `enforceLimits` makes it
 * enforce the channel's own rate limit, as the real service would.
 *
 * A message is committed (recorded in `received`) only when a success answer
 * is written while the client's socket is still open: a client that is gone
 * before the answer sent nothing, which is the exactly-once window the
 * product has to get right.
 *
 * What each behaviour follows:
 * - Telegram: Bot API reference (core.telegram.org/bots/api): "Making
 *   requests" (GET or POST, query string, application/json or
 *   application/x-www-form-urlencoded; case-insensitive method names; the
 *   `{ok, result}` / `{ok:false, error_code, description, parameters}`
 *   envelope), "sendMessage" (text 1-4096 characters after entities
 *   parsing), "Formatting options" (the HTML tags and entities allowed,
 *   MarkdownV2's reserved characters, legacy Markdown); error descriptions as
 *   the server words them (TDLib's parse_html: "Unsupported start tag",
 *   "Can't find end tag corresponding to start tag", …). Rate limits: Bots
 *   FAQ, "My bot is hitting limits": about one message per second to a chat,
 *   20 per minute to a group; a 429 carries parameters.retry_after.
 * - Discord: developer docs, "Webhook Resource" (Execute Webhook, `wait`),
 *   "Message Resource" / "Embed Limits", "Opcodes and Status Codes" (JSON
 *   error codes 10015, 50006, 50027, 50035, 50109), "Rate Limits" (the
 *   X-RateLimit-* headers on every answer, the 429 body and Retry-After);
 *   5 requests per 2 s per webhook.
 * - Slack: "Sending messages using incoming webhooks" and its error table
 *   (invalid_payload, no_text, invalid_blocks, invalid_token, no_service,
 *   rollup_error, 429 rate_limited with Retry-After); Block Kit limits (50
 *   blocks, section text 3000, 10 fields of 2000, header text 150); one
 *   message per second per webhook.
 * - Generic webhook: the product's own contract: X-Scanner-Timestamp,
 *   X-Scanner-Signature `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`,
 *   a 300 s replay window and Idempotency-Key deduplication.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type ReceiverKind = 'telegram' | 'discord' | 'slack' | 'webhook';

export interface Received {
  kind: ReceiverKind;
  /** The request's path and query string. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The parsed body (Telegram's form parameters as an object, Slack's `payload=`). */
  json: unknown;
  /** The receiver's clock (Date.now() unless `now` is given) when committed. */
  at: number;
  /** Idempotency-Key header, webhook. */
  key?: string;
}

export type Fault =
  /** Answer with this status, with the error body the API would give (default times: until healed). */
  | { type: 'status'; status: number; times?: number }
  /** The API's own 429 shape. */
  | { type: 'rate-limit'; retryAfterSeconds: number; times?: number }
  /** Read the request and never answer (until the client gives up, heal() or close()); not committed. */
  | { type: 'hang'; times?: number }
  /** Destroy the socket on arrival; not committed. */
  | { type: 'reset'; times?: number }
  /**
   * Answer normally, but only after `ms`: committed only if the client still
   * waits then (a client that gave up earlier sent nothing).
   */
  | { type: 'delay'; ms: number; times?: number };

export interface Receiver {
  kind: ReceiverKind;
  /** Base URL, e.g. http://127.0.0.1:PORT. */
  url: string;
  /** What the product's destination config needs: telegram → {baseUrl, botToken, chatId}; discord/slack → {webhookUrl}; webhook → {url, secret}. */
  target: Record<string, string>;
  /** Committed messages only, in arrival order. */
  received: Received[];
  /** Every request that reached the handler, faults included. */
  attempts: number;
  /**
   * Webhook: requests whose Idempotency-Key was already received (answered
   * `{"duplicate":true}`, not in `received`). Telegram, Discord, Slack: committed
   * messages whose body is identical to an earlier one (in `received` too:
   * those APIs cannot deduplicate).
   */
  duplicates: number;
  /** Push a fault; faults apply in order, each for its `times`. */
  fail(fault: Fault): void;
  /** Clear all faults; release hung requests by destroying them. */
  heal(): void;
  /**
   * Enforce the channel's real rate limit (on by default): telegram 1 msg/s
   * per chat_id (and 20/min to a group or channel) → 429 retry_after; discord
   * bucket 5 per 2 s with X-RateLimit-* headers on every answer → 429 when
   * exhausted; slack 1 per s → 429 Retry-After.
   */
  enforceLimits: boolean;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  /** Webhook: the HMAC key (default: random). */
  secret?: string;
  /** Telegram: the bot's token (default: random, in Telegram's `<id>:<35 chars>` form). */
  botToken?: string;
  enforceLimits?: boolean;
  /** Telegram: the chats the bot can post to; the first is `target.chatId` (default: one random private chat). */
  chatIds?: string[];
  /** The receiver's clock, ms (default Date.now): rate limits, the replay window, `at`. */
  now?: () => number;
}

/** The largest body read; beyond it, 413. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------
// Plumbing shared by all kinds

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Called, synchronously before the answer is written, only if the client's socket is still open. */
  commit?: () => void;
}

interface Request {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
  now: number;
}

interface Api {
  target: Record<string, string>;
  handle(request: Request): Answer;
  statusFault(request: Request, status: number): Answer;
  rateLimitFault(request: Request, retryAfterSeconds: number): Answer;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

function text(status: number, body: string, headers: Record<string, string> = {}): Answer {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, body };
}

function contentType(headers: http.IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Characters as Discord and Slack count them (code points). */
function chars(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

function byteOffset(s: string, index: number): number {
  return Buffer.byteLength(s.slice(0, index));
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function statusText(status: number): string {
  return http.STATUS_CODES[status] ?? `Status ${status}`;
}

class AlertReceiver implements Receiver {
  readonly kind: ReceiverKind;
  url = '';
  target: Record<string, string> = {};
  received: Received[] = [];
  attempts = 0;
  duplicates = 0;
  enforceLimits: boolean;

  readonly now: () => number;
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly hung = new Set<Socket>();
  private readonly delays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private faults: { fault: Fault; left: number | undefined }[] = [];
  private closed = false;
  private api!: Api;

  constructor(kind: ReceiverKind, options: ReceiverOptions) {
    this.kind = kind;
    this.enforceLimits = options.enforceLimits ?? true;
    this.now = options.now ?? Date.now;
    this.server = http.createServer((req, res) => void this.serve(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => {
        this.sockets.delete(socket);
        this.hung.delete(socket);
      });
    });
    // A client that vanishes mid-request is part of what these receivers model.
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  async listen(api: (url: string) => Api): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.api = api(this.url);
    this.target = this.api.target;
  }

  fail(fault: Fault): void {
    this.faults.push({ fault, left: fault.times });
  }

  heal(): void {
    this.faults = [];
    for (const socket of this.hung) socket.destroy();
    this.hung.clear();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.faults = [];
    for (const delay of this.delays) {
      clearTimeout(delay.timer);
      delay.resolve();
    }
    this.delays.clear();
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await closing;
  }

  /** Record a committed message (Telegram, Discord, Slack: a repeated body counts as a duplicate too). */
  record(request: Request, parsed: unknown, key?: string): void {
    if (this.kind !== 'webhook' && this.received.some((r) => r.body === request.body)) this.duplicates += 1;
    const entry: Received = {
      kind: this.kind,
      path: request.url.pathname + request.url.search,
      headers: request.headers,
      body: request.body,
      json: parsed,
      at: this.now(),
    };
    if (key !== undefined) entry.key = key;
    this.received.push(entry);
  }

  private takeFault(): Fault | undefined {
    const head = this.faults[0];
    if (!head) return undefined;
    if (head.left !== undefined) {
      head.left -= 1;
      if (head.left <= 0) this.faults.shift();
    }
    return head.fault;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.attempts += 1;
    req.on('error', () => {});
    res.on('error', () => {});
    const fault = this.takeFault();
    if (fault?.type === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.type === 'hang') {
      this.hung.add(req.socket);
      req.resume();
      return;
    }
    const body = await readBody(req);
    if (body === undefined) return; // the client went away
    if (body === null) {
      res.writeHead(413, { 'Content-Type': 'text/plain' }).end('Payload Too Large');
      return;
    }
    if (fault?.type === 'delay') await this.sleep(fault.ms);
    if (this.closed) return;
    const request: Request = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', this.url),
      headers: req.headers,
      body,
      now: this.now(),
    };
    let answer: Answer;
    try {
      answer =
        fault?.type === 'status'
          ? this.api.statusFault(request, fault.status)
          : fault?.type === 'rate-limit'
            ? this.api.rateLimitFault(request, fault.retryAfterSeconds)
            : this.api.handle(request);
    } catch (error) {
      // A bug of the receiver itself: fail the request loudly instead of leaving the client waiting.
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`alert receiver error: ${String(error)}`);
      throw error;
    }
    const open = !res.destroyed && !req.socket.destroyed && req.socket.writable;
    if (!open) return;
    answer.commit?.();
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const delay = {
        timer: setTimeout(() => {
          this.delays.delete(delay);
          resolve();
        }, ms),
        resolve,
      };
      this.delays.add(delay);
    });
  }
}

/** The body as text; undefined if the client went away, null if over MAX_BODY_BYTES. */
function readBody(req: http.IncomingMessage): Promise<string | undefined | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.once('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.once('error', () => resolve(undefined));
    req.once('aborted', () => resolve(undefined));
    req.once('close', () => resolve(undefined)); // after 'end' this changes nothing
  });
}

// ---------------------------------------------------------------------------------------------------------
// Telegram Bot API

export interface TelegramEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

type Parsed = { ok: true; text: string; entities: TelegramEntity[] } | { ok: false; error: string };

const HTML_TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'a',
  'code',
  'pre',
  'blockquote',
  'tg-emoji',
]);

const HTML_ENTITY_TYPES: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  span: 'spoiler',
  'tg-spoiler': 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

/**
 * An HTML entity at `s[i]` ('&'): the character and where it ends, as Telegram
 * reads them (&lt; &gt; &amp; &quot; and numeric references, the ';' optional).
 */
function htmlEntity(s: string, i: number): { char: string; end: number } | undefined {
  let end = i + 1;
  let code = 0;
  if (s[end] === '#') {
    end += 1;
    const hex = s[end] === 'x' || s[end] === 'X';
    if (hex) end += 1;
    const start = end;
    while (end < s.length && (hex ? /[0-9a-fA-F]/ : /[0-9]/).test(s[end]!)) end += 1;
    if (end === start || end - i >= 10) return undefined;
    code = parseInt(s.slice(start, end), hex ? 16 : 10);
    if (code === 0 || code >= 0x10ffff) return undefined;
  } else {
    const start = end;
    while (end < s.length && /[A-Za-z]/.test(s[end]!)) end += 1;
    const named: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
    const found = named[s.slice(start, end)];
    if (found === undefined) return undefined;
    code = found;
  }
  if (s[end] === ';') end += 1;
  return { char: String.fromCodePoint(code), end };
}

/** Telegram's parse_mode HTML: the plain text and its entities, or the error the Bot API gives. */
export function parseTelegramHtml(s: string): Parsed {
  let out = '';
  const entities: TelegramEntity[] = [];
  const stack: { tag: string; at: number; start: number; attributes: Map<string, string> }[] = [];
  let i = 0;
  const error = (message: string): Parsed => ({ ok: false, error: message });
  while (i < s.length) {
    const c = s[i]!;
    if (c === '&') {
      const entity = htmlEntity(s, i);
      if (!entity) {
        return error(
          `Unsupported HTML entity at byte offset ${byteOffset(s, i)}: a "&" must be written &amp;`,
        );
      }
      out += entity.char;
      i = entity.end;
      continue;
    }
    if (c !== '<') {
      out += c;
      i += 1;
      continue;
    }
    const begin = i;
    const at = byteOffset(s, begin);
    i += 1;
    if (s[i] === '/') {
      i += 1;
      const nameStart = i;
      while (i < s.length && !isSpace(s[i]) && s[i] !== '>') i += 1;
      const name = s.slice(nameStart, i).toLowerCase();
      while (isSpace(s[i])) i += 1;
      if (s[i] !== '>') return error(`Unclosed end tag at byte offset ${at}`);
      i += 1;
      const open = stack.pop();
      if (!open) return error(`Unexpected end tag at byte offset ${at}`);
      if (name !== '' && name !== open.tag) {
        return error(`Unmatched end tag at byte offset ${at}, expected "</${open.tag}>", found "</${name}>"`);
      }
      const length = out.length - open.start;
      if (length === 0) continue;
      const entity: TelegramEntity = { type: HTML_ENTITY_TYPES[open.tag]!, offset: open.start, length };
      if (open.tag === 'a') {
        entity.url = open.attributes.get('href') ?? out.slice(open.start);
      } else if (open.tag === 'code' && stack.at(-1)?.tag === 'pre') {
        // <pre><code class="language-x">: one pre entity with its language.
        const language = /^language-(.+)$/.exec(open.attributes.get('class') ?? '')?.[1];
        if (language) stack.at(-1)!.attributes.set('language', language);
        continue;
      } else if (open.tag === 'pre' && open.attributes.has('language')) {
        entity.language = open.attributes.get('language')!;
      } else if (open.tag === 'blockquote' && open.attributes.has('expandable')) {
        entity.type = 'expandable_blockquote';
      } else if (open.tag === 'tg-emoji') {
        entity.custom_emoji_id = open.attributes.get('emoji-id')!;
      }
      entities.push(entity);
      continue;
    }
    const nameStart = i;
    while (i < s.length && !isSpace(s[i]) && s[i] !== '>') i += 1;
    if (i >= s.length) return error(`Unclosed start tag at byte offset ${at}`);
    const tag = s.slice(nameStart, i).toLowerCase();
    if (!HTML_TAGS.has(tag)) return error(`Unsupported start tag "${tag}" at byte offset ${at}`);
    const attributes = new Map<string, string>();
    for (;;) {
      while (isSpace(s[i])) i += 1;
      if (i >= s.length) return error(`Unclosed start tag at byte offset ${at}`);
      if (s[i] === '>') break;
      const attributeStart = i;
      while (i < s.length && !isSpace(s[i]) && s[i] !== '=' && s[i] !== '>') i += 1;
      const attribute = s.slice(attributeStart, i).toLowerCase();
      if (attribute === '') return error(`Empty attribute name in the tag "${tag}" at byte offset ${at}`);
      while (isSpace(s[i])) i += 1;
      if (s[i] !== '=') {
        if (tag === 'blockquote' && attribute === 'expandable') {
          attributes.set(attribute, '');
          continue;
        }
        return error(
          `Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${at}`,
        );
      }
      i += 1;
      while (isSpace(s[i])) i += 1;
      if (i >= s.length) return error(`Unclosed start tag at byte offset ${at}`);
      let value = '';
      const quote = s[i];
      if (quote === '"' || quote === "'") {
        i += 1;
        while (i < s.length && s[i] !== quote) {
          const entity = s[i] === '&' ? htmlEntity(s, i) : undefined;
          if (entity) {
            value += entity.char;
            i = entity.end;
          } else {
            value += s[i];
            i += 1;
          }
        }
        if (i >= s.length) return error(`Unclosed start tag at byte offset ${at}`);
        i += 1;
      } else {
        const tokenStart = i;
        while (i < s.length && /[A-Za-z0-9.-]/.test(s[i]!)) i += 1;
        value = s.slice(tokenStart, i).toLowerCase();
        if (!isSpace(s[i]) && s[i] !== '>') {
          return error(`Unexpected end of name token at byte offset ${byteOffset(s, tokenStart)}`);
        }
      }
      attributes.set(attribute, value);
    }
    i += 1; // '>'
    if (tag === 'span' && attributes.get('class') !== 'tg-spoiler') {
      return error(`Tag "span" must have class "tg-spoiler" at byte offset ${at}`);
    }
    if (tag === 'tg-emoji' && !/^\d+$/.test(attributes.get('emoji-id') ?? '')) {
      return error(`Tag "tg-emoji" must have a valid "emoji-id" attribute at byte offset ${at}`);
    }
    stack.push({ tag, at, start: out.length, attributes });
  }
  const open = stack.at(-1);
  if (open) return error(`Can't find end tag corresponding to start tag "${open.tag}"`);
  return { ok: true, text: out, entities: entities.sort((a, b) => a.offset - b.offset) };
}

const MARKDOWN_V2_RESERVED = new Set('_*[]()~`>#+-=|{}.!');
const MARKDOWN_V2_NAMES: Record<string, string> = {
  bold: 'Bold',
  italic: 'Italic',
  underline: 'Underline',
  strikethrough: 'Strikethrough',
  spoiler: 'Spoiler',
  code: 'Code',
  pre: 'Pre',
  text_link: 'TextUrl',
  custom_emoji: 'CustomEmoji',
};

/**
 * Telegram's parse_mode MarkdownV2, as far as alerts use it: every reserved
 * character outside an entity must be escaped with '\', entities must close.
 */
export function parseTelegramMarkdownV2(s: string): Parsed {
  let out = '';
  const entities: TelegramEntity[] = [];
  const stack: { type: string; at: number; start: number; language?: string }[] = [];
  const error = (message: string): Parsed => ({ ok: false, error: message });
  const toggle = (type: string, at: number): void => {
    const top = stack.at(-1);
    if (top?.type === type) {
      stack.pop();
      if (out.length > top.start) entities.push({ type, offset: top.start, length: out.length - top.start });
    } else {
      stack.push({ type, at, start: out.length });
    }
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    const at = byteOffset(s, i);
    const next = s[i + 1];
    if (c === '\\' && next !== undefined && next.charCodeAt(0) > 0 && next.charCodeAt(0) <= 126) {
      out += next;
      i += 2;
      continue;
    }
    const top = stack.at(-1);
    if (top?.type === 'code' || top?.type === 'pre') {
      const closes = top.type === 'pre' ? s.startsWith('```', i) : c === '`';
      if (closes) {
        stack.pop();
        if (out.length > top.start) {
          const entity: TelegramEntity = {
            type: top.type,
            offset: top.start,
            length: out.length - top.start,
          };
          if (top.language) entity.language = top.language;
          entities.push(entity);
        }
        i += top.type === 'pre' ? 3 : 1;
      } else {
        out += c;
        i += 1;
      }
      continue;
    }
    if (!MARKDOWN_V2_RESERVED.has(c)) {
      out += c;
      i += 1;
      continue;
    }
    const reserved = (): Parsed =>
      error(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    switch (c) {
      case '*':
      case '~':
        toggle(c === '*' ? 'bold' : 'strikethrough', at);
        i += 1;
        break;
      case '_':
        if (next === '_') {
          toggle('underline', at);
          i += 2;
        } else {
          toggle('italic', at);
          i += 1;
        }
        break;
      case '|':
        if (next !== '|') return reserved();
        toggle('spoiler', at);
        i += 2;
        break;
      case '`':
        if (s.startsWith('```', i)) {
          i += 3;
          const line = /^([^\s`]*)\n/.exec(s.slice(i));
          const entry: { type: string; at: number; start: number; language?: string } = {
            type: 'pre',
            at,
            start: out.length,
          };
          if (line) {
            if (line[1]) entry.language = line[1];
            i += line[0].length;
          }
          stack.push(entry);
        } else {
          stack.push({ type: 'code', at, start: out.length });
          i += 1;
        }
        break;
      case '!':
        if (next !== '[') return reserved();
        stack.push({ type: 'custom_emoji', at, start: out.length });
        i += 2;
        break;
      case '[':
        stack.push({ type: 'text_link', at, start: out.length });
        i += 1;
        break;
      case ']': {
        if (top?.type !== 'text_link' && top?.type !== 'custom_emoji') return reserved();
        stack.pop();
        i += 1;
        if (s[i] !== '(') {
          return error(`Can't find end of a URL at byte offset ${byteOffset(s, i)}`);
        }
        i += 1;
        let url = '';
        while (i < s.length && s[i] !== ')') {
          if (s[i] === '\\' && (s[i + 1] === ')' || s[i + 1] === '\\')) i += 1;
          url += s[i];
          i += 1;
        }
        if (i >= s.length) return error(`Can't find end of a URL at byte offset ${at}`);
        i += 1;
        if (out.length > top.start) {
          const entity: TelegramEntity = {
            type: top.type,
            offset: top.start,
            length: out.length - top.start,
          };
          if (top.type === 'text_link') entity.url = url;
          else entity.custom_emoji_id = /[?&]id=(\d+)/.exec(url)?.[1] ?? '';
          entities.push(entity);
        }
        break;
      }
      case '>':
        // A blockquote line ("**>" expandable is not modelled).
        if (i !== 0 && s[i - 1] !== '\n') return reserved();
        i += 1;
        break;
      default:
        return reserved();
    }
  }
  const open = stack.at(-1);
  if (open)
    return error(`Can't find end of ${MARKDOWN_V2_NAMES[open.type]} entity at byte offset ${open.at}`);
  return { ok: true, text: out, entities: entities.sort((a, b) => a.offset - b.offset) };
}

/** Telegram's legacy parse_mode Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting. */
export function parseTelegramMarkdown(s: string): Parsed {
  let out = '';
  const entities: TelegramEntity[] = [];
  const types: Record<string, string> = { '*': 'bold', _: 'italic', '`': 'code' };
  let i = 0;
  const unclosed = (at: number): Parsed => ({
    ok: false,
    error: `Can't find end of the entity starting at byte offset ${byteOffset(s, at)}`,
  });
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\' && '_*`['.includes(s[i + 1] ?? ' ')) {
      out += s[i + 1];
      i += 2;
      continue;
    }
    if (s.startsWith('```', i)) {
      const end = s.indexOf('```', i + 3);
      if (end < 0) return unclosed(i);
      const content = s.slice(i + 3, end);
      entities.push({ type: 'pre', offset: out.length, length: content.length });
      out += content;
      i = end + 3;
    } else if (types[c]) {
      const end = s.indexOf(c, i + 1);
      if (end < 0) return unclosed(i);
      const content = s.slice(i + 1, end);
      if (content.length > 0) entities.push({ type: types[c], offset: out.length, length: content.length });
      out += content;
      i = end + 1;
    } else if (c === '[') {
      const link = /^\[([^\]]*)\]\(([^)]*)\)/.exec(s.slice(i));
      if (!link) return unclosed(i);
      entities.push({ type: 'text_link', offset: out.length, length: link[1]!.length, url: link[2]! });
      out += link[1];
      i += link[0].length;
    } else {
      out += c;
      i += 1;
    }
  }
  return { ok: true, text: out, entities };
}

function randomBotToken(): string {
  return `${randomInt(100_000_000, 999_999_999)}:AA${randomBytes(33).toString('base64url').slice(0, 33)}`;
}

function telegramApi(receiver: AlertReceiver, options: ReceiverOptions, url: string): Api {
  const botToken = options.botToken ?? randomBotToken();
  const botId = Number(/^(\d+):/.exec(botToken)?.[1] ?? 1);
  const chats = options.chatIds?.length
    ? options.chatIds.map(String)
    : [String(randomInt(10_000_000, 99_999_999))];
  const channelIds = new Map<string, number>();
  let messageId = 0;
  /** Commit times of the messages sent to each chat, for the limits. */
  const sent = new Map<string, number[]>();

  const failure = (status: number, description: string, parameters?: Record<string, unknown>): Answer =>
    json(status, { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) });
  const tooMany = (retryAfter: number): Answer =>
    failure(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
  const descriptions: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden: bot was blocked by the user',
    404: 'Not Found',
    409: 'Conflict',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  const isGroup = (chat: string): boolean => chat.startsWith('-') || chat.startsWith('@');
  const chatObject = (chat: string): Record<string, unknown> => {
    if (chat.startsWith('@')) {
      if (!channelIds.has(chat)) channelIds.set(chat, -(1_000_000_000_000 + randomInt(1, 999_999_999)));
      return { id: channelIds.get(chat), title: chat.slice(1), username: chat.slice(1), type: 'channel' };
    }
    const id = Number(chat);
    if (id > 0) return { id, first_name: 'Test', username: `user${id}`, type: 'private' };
    return { id, title: `Group ${chat}`, type: chat.startsWith('-100') ? 'supergroup' : 'group' };
  };
  /** Seconds to wait before another message to `chat` may go, or 0. */
  const retryAfter = (chat: string, now: number): number => {
    const times = (sent.get(chat) ?? []).filter((t) => now - t < 60_000);
    sent.set(chat, times);
    const last = times.at(-1);
    let wait = last !== undefined && now - last < 1_000 ? last + 1_000 - now : 0;
    if (isGroup(chat) && times.length >= 20) wait = Math.max(wait, times[times.length - 20]! + 60_000 - now);
    return wait > 0 ? Math.ceil(wait / 1_000) : 0;
  };

  return {
    target: { baseUrl: url, botToken, chatId: chats[0]! },
    statusFault: (_request, status) =>
      status === 429 ? tooMany(1) : failure(status, descriptions[status] ?? statusText(status)),
    rateLimitFault: (_request, seconds) => tooMany(seconds),
    handle(request) {
      const route = /^\/bot([^/]*)\/([^/]+)$/.exec(request.url.pathname);
      if (!route || (request.method !== 'POST' && request.method !== 'GET')) return failure(404, 'Not Found');
      if (safeDecode(route[1]!) !== botToken) return failure(401, 'Unauthorized');
      if (route[2]!.toLowerCase() !== 'sendmessage') return failure(404, 'Not Found');

      // Parameters: the query string, then the body (JSON or a form), as the Bot API reads them.
      const params: Record<string, unknown> = Object.fromEntries(request.url.searchParams);
      const type = contentType(request.headers);
      if (type === 'application/x-www-form-urlencoded') {
        Object.assign(params, Object.fromEntries(new URLSearchParams(request.body)));
      } else if (type === 'application/json' && request.body.trim() !== '') {
        const parsed = parseJson(request.body);
        if (parsed.ok && isRecord(parsed.value)) Object.assign(params, parsed.value);
      }
      const chatParam = params.chat_id;
      const chat =
        typeof chatParam === 'number' || typeof chatParam === 'string' ? String(chatParam).trim() : '';
      if (chat === '') return failure(400, 'Bad Request: chat_id is empty');
      const rawText = typeof params.text === 'string' ? params.text : '';
      const parseMode = typeof params.parse_mode === 'string' ? params.parse_mode : '';
      let parsed: Parsed;
      switch (parseMode.toLowerCase()) {
        case '':
          parsed = { ok: true, text: rawText, entities: [] };
          break;
        case 'html':
          parsed = parseTelegramHtml(rawText);
          break;
        case 'markdownv2':
          parsed = parseTelegramMarkdownV2(rawText);
          break;
        case 'markdown':
          parsed = parseTelegramMarkdown(rawText);
          break;
        default:
          return failure(400, 'Bad Request: unsupported parse_mode');
      }
      if (!parsed.ok) return failure(400, `Bad Request: can't parse entities: ${parsed.error}`);
      if (parsed.text.trim() === '') return failure(400, 'Bad Request: message text is empty');
      if (parsed.text.length > 4096) return failure(400, 'Bad Request: message is too long');
      if (!chats.includes(chat)) return failure(400, 'Bad Request: chat not found');
      if (receiver.enforceLimits) {
        const wait = retryAfter(chat, request.now);
        if (wait > 0) return tooMany(wait);
      }
      messageId += 1;
      const result: Record<string, unknown> = {
        message_id: messageId,
        from: { id: botId, is_bot: true, first_name: 'Scanner Test Bot', username: 'scanner_test_bot' },
        chat: chatObject(chat),
        date: Math.floor(request.now / 1_000),
        text: parsed.text,
      };
      if (parsed.entities.length > 0) result.entities = parsed.entities;
      const answer = json(200, { ok: true, result });
      answer.commit = () => {
        sent.set(chat, [...(sent.get(chat) ?? []), receiver.now()]);
        receiver.record(request, params);
      };
      return answer;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Discord webhooks

/** Discord's nested `errors` object: `{embeds: {"0": {title: {_errors: [{code, message}]}}}}`. */
type FormErrors = Record<string, unknown>;

/** Discord's "Invalid Form Body" errors of an Execute Webhook body, or undefined when valid. */
export function discordFormErrors(body: unknown): FormErrors | undefined {
  const errors: FormErrors = {};
  let any = false;
  const add = (path: (string | number)[], code: string, message: string): void => {
    any = true;
    let node: Record<string, unknown> = errors;
    for (const key of path) {
      const child = node[String(key)];
      if (isRecord(child)) node = child;
      else {
        const created: Record<string, unknown> = {};
        node[String(key)] = created;
        node = created;
      }
    }
    const list = (node._errors ??= []) as { code: string; message: string }[];
    list.push({ code, message });
  };
  const maxLength = (path: (string | number)[], value: unknown, max: number): number => {
    if (value === undefined || value === null) return 0;
    if (typeof value !== 'string') {
      add(path, 'BASE_TYPE_STRING', 'Value must be a string.');
      return 0;
    }
    if (chars(value) > max) add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    return chars(value);
  };
  const required = (path: (string | number)[], value: unknown, max: number): number => {
    if (typeof value !== 'string' || value.trim() === '') {
      add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
      return typeof value === 'string' ? chars(value) : 0;
    }
    return maxLength(path, value, max);
  };

  if (!isRecord(body)) {
    add([], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return errors;
  }
  maxLength(['content'], body.content, 2000);
  maxLength(['username'], body.username, 80);
  if (body.embeds !== undefined && body.embeds !== null) {
    if (!Array.isArray(body.embeds)) {
      add(['embeds'], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    } else {
      if (body.embeds.length > 10) add(['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
      let total = 0;
      body.embeds.forEach((embed: unknown, k: number) => {
        if (!isRecord(embed)) {
          add(['embeds', k], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
          return;
        }
        total += maxLength(['embeds', k, 'title'], embed.title, 256);
        total += maxLength(['embeds', k, 'description'], embed.description, 4096);
        if (isRecord(embed.footer))
          total += maxLength(['embeds', k, 'footer', 'text'], embed.footer.text, 2048);
        if (isRecord(embed.author))
          total += maxLength(['embeds', k, 'author', 'name'], embed.author.name, 256);
        if (embed.fields !== undefined && embed.fields !== null) {
          if (!Array.isArray(embed.fields)) {
            add(['embeds', k, 'fields'], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
          } else {
            if (embed.fields.length > 25) {
              add(['embeds', k, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
            }
            embed.fields.forEach((field: unknown, j: number) => {
              if (!isRecord(field)) {
                add(
                  ['embeds', k, 'fields', j],
                  'DICT_TYPE_CONVERT',
                  'Only dictionaries may be used in a DictType',
                );
                return;
              }
              total += required(['embeds', k, 'fields', j, 'name'], field.name, 256);
              total += required(['embeds', k, 'fields', j, 'value'], field.value, 1024);
            });
          }
        }
      });
      if (total > 6000) add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
    }
  }
  return any ? errors : undefined;
}

/** A Discord-style snowflake: ms since the Discord epoch, shifted, plus a counter. */
function snowflake(now: number, increment: number): string {
  return ((BigInt(now - 1_420_070_400_000) << 22n) | BigInt(increment & 0xfff)).toString();
}

function discordApi(receiver: AlertReceiver, url: string): Api {
  const webhookId = snowflake(receiver.now(), randomInt(0, 4096));
  const channelId = snowflake(receiver.now(), randomInt(0, 4096));
  const token = randomBytes(51).toString('base64url');
  const LIMIT = 5;
  const WINDOW_MS = 2_000;
  /** Fixed windows per webhook id, started by the first request after the last one ended. */
  const buckets = new Map<string, { hash: string; start: number; used: number }>();
  let increment = 0;

  const bucketOf = (id: string, now: number) => {
    let bucket = buckets.get(id);
    if (!bucket) {
      bucket = {
        hash: createHash('sha256').update(`webhook:${id}`).digest('hex').slice(0, 32),
        start: now,
        used: 0,
      };
      buckets.set(id, bucket);
    }
    if (now - bucket.start >= WINDOW_MS) {
      bucket.start = now;
      bucket.used = 0;
    }
    return bucket;
  };
  const limitHeaders = (bucket: { hash: string; start: number; used: number }, now: number) => {
    const reset = bucket.start + WINDOW_MS;
    return {
      'X-RateLimit-Limit': String(LIMIT),
      'X-RateLimit-Remaining': String(Math.max(0, LIMIT - bucket.used)),
      'X-RateLimit-Reset': (reset / 1_000).toFixed(3),
      'X-RateLimit-Reset-After': (Math.max(0, reset - now) / 1_000).toFixed(3),
      'X-RateLimit-Bucket': bucket.hash,
    };
  };
  const routeId = (request: Request): string | undefined =>
    /^\/api(?:\/v\d+)?\/webhooks\/([^/]+)(?:\/[^/]*)?\/?$/.exec(request.url.pathname)?.[1];
  /** The X-RateLimit-* headers of the request's webhook, without spending from its bucket. */
  const headersFor = (request: Request): Record<string, string> => {
    const id = routeId(request);
    return id === undefined ? {} : limitHeaders(bucketOf(id, request.now), request.now);
  };
  const tooMany = (headers: Record<string, string>, retryAfter: number): Answer =>
    json(
      429,
      {
        message: 'You are being rate limited.',
        retry_after: Math.round(retryAfter * 1_000) / 1_000,
        global: false,
      },
      {
        ...headers,
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Scope': 'user',
        'Retry-After': String(Math.ceil(retryAfter)),
      },
    );

  return {
    target: { webhookUrl: `${url}/api/webhooks/${webhookId}/${token}` },
    statusFault: (request, status) =>
      status === 429
        ? tooMany(headersFor(request), 1)
        : json(status, { message: `${status}: ${statusText(status)}`, code: 0 }, headersFor(request)),
    rateLimitFault: (request, seconds) => {
      const headers = headersFor(request);
      return tooMany({ ...headers, 'X-RateLimit-Reset-After': seconds.toFixed(3) }, seconds);
    },
    handle(request) {
      const route = /^\/api(?:\/v\d+)?\/webhooks\/([^/]+)\/([^/]+)\/?$/.exec(request.url.pathname);
      const id = routeId(request);
      if (!route || id === undefined) return json(404, { message: '404: Not Found', code: 0 });
      const bucket = bucketOf(id, request.now);
      if (receiver.enforceLimits && bucket.used >= LIMIT) {
        return tooMany(limitHeaders(bucket, request.now), (bucket.start + WINDOW_MS - request.now) / 1_000);
      }
      bucket.used += 1;
      const headers = limitHeaders(bucket, request.now);
      if (request.method !== 'POST')
        return json(405, { message: '405: Method Not Allowed', code: 0 }, headers);
      if (id !== webhookId) return json(404, { message: 'Unknown Webhook', code: 10015 }, headers);
      if (route[2] !== token) return json(401, { message: 'Invalid Webhook Token', code: 50027 }, headers);
      const parsed = parseJson(request.body);
      if (!parsed.ok)
        return json(400, { message: 'The request body contains invalid JSON.', code: 50109 }, headers);
      const errors = discordFormErrors(parsed.value);
      if (errors) return json(400, { code: 50035, errors, message: 'Invalid Form Body' }, headers);
      const body = parsed.value as Record<string, unknown>;
      const content = typeof body.content === 'string' ? body.content : '';
      const embeds = Array.isArray(body.embeds) ? (body.embeds as unknown[]) : [];
      if (content.trim() === '' && embeds.length === 0) {
        return json(400, { message: 'Cannot send an empty message', code: 50006 }, headers);
      }
      const wait = /^(true|1)$/i.test(request.url.searchParams.get('wait') ?? '');
      increment += 1;
      const answer: Answer = wait
        ? json(
            200,
            {
              id: snowflake(request.now, increment),
              type: 0,
              content,
              channel_id: channelId,
              author: {
                id: webhookId,
                username: typeof body.username === 'string' ? body.username : 'Scanner',
                avatar: null,
                discriminator: '0000',
                public_flags: 0,
                flags: 0,
                bot: true,
                global_name: null,
              },
              attachments: [],
              embeds: embeds.map((e) => ({ type: 'rich', ...(isRecord(e) ? e : {}) })),
              mentions: [],
              mention_roles: [],
              pinned: false,
              mention_everyone: false,
              tts: body.tts === true,
              timestamp: new Date(request.now).toISOString().replace('Z', '+00:00'),
              edited_timestamp: null,
              flags: 0,
              components: [],
              webhook_id: webhookId,
            },
            headers,
          )
        : { status: 204, headers };
      answer.commit = () => receiver.record(request, body);
      return answer;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Slack incoming webhooks

/** Whether `blocks` passes the Block Kit limits an incoming webhook checks (else `invalid_blocks`). */
export function slackBlocksValid(blocks: unknown): boolean {
  if (!Array.isArray(blocks) || blocks.length > 50) return false;
  const textOf = (value: unknown): string | undefined =>
    isRecord(value) &&
    typeof value.text === 'string' &&
    (value.type === 'mrkdwn' || value.type === 'plain_text')
      ? value.text
      : undefined;
  return blocks.every((block: unknown) => {
    if (!isRecord(block) || typeof block.type !== 'string' || block.type === '') return false;
    if (typeof block.block_id === 'string' && chars(block.block_id) > 255) return false;
    switch (block.type) {
      case 'section': {
        if (block.text === undefined && block.fields === undefined) return false;
        if (block.text !== undefined) {
          const t = textOf(block.text);
          if (t === undefined || chars(t) > 3000 || t === '') return false;
        }
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields) || block.fields.length > 10) return false;
          const fieldsValid = block.fields.every((field: unknown) => {
            const t = textOf(field);
            return t !== undefined && chars(t) <= 2000;
          });
          if (!fieldsValid) return false;
        }
        return true;
      }
      case 'header': {
        const t = textOf(block.text);
        return t !== undefined && isRecord(block.text) && block.text.type === 'plain_text' && chars(t) <= 150;
      }
      case 'context':
        return Array.isArray(block.elements) && block.elements.length >= 1 && block.elements.length <= 10;
      default:
        return true;
    }
  });
}

function slackApi(receiver: AlertReceiver, url: string): Api {
  const team = `T0${randomBytes(4).toString('hex').toUpperCase()}`;
  const bot = `B0${randomBytes(4).toString('hex').toUpperCase()}`;
  const secret = randomBytes(12).toString('hex');
  let last: number | undefined;
  const tooMany = (seconds: number): Answer => text(429, 'rate_limited', { 'Retry-After': String(seconds) });
  const bodies: Record<number, string> = {
    400: 'invalid_payload',
    403: 'invalid_token',
    404: 'no_service',
    410: 'channel_is_archived',
  };
  return {
    target: { webhookUrl: `${url}/services/${team}/${bot}/${secret}` },
    statusFault: (_request, status) =>
      status === 429
        ? tooMany(1)
        : text(status, bodies[status] ?? (status >= 500 ? 'rollup_error' : statusText(status).toLowerCase())),
    rateLimitFault: (_request, seconds) => tooMany(seconds),
    handle(request) {
      const route = /^\/services\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(request.url.pathname);
      if (!route || route[1] !== team || route[2] !== bot) return text(404, 'no_service');
      if (route[3] !== secret) return text(403, 'invalid_token');
      if (request.method !== 'POST') return text(400, 'invalid_payload');
      let raw = request.body;
      if (contentType(request.headers) === 'application/x-www-form-urlencoded') {
        raw = new URLSearchParams(request.body).get('payload') ?? '';
      }
      const parsed = parseJson(raw);
      if (!parsed.ok || !isRecord(parsed.value)) return text(400, 'invalid_payload');
      const body = parsed.value;
      if (body.text !== undefined && typeof body.text !== 'string') return text(400, 'invalid_payload');
      if (body.blocks !== undefined && !slackBlocksValid(body.blocks)) return text(400, 'invalid_blocks');
      const hasText = typeof body.text === 'string' && body.text.trim() !== '';
      const hasBlocks = Array.isArray(body.blocks) && body.blocks.length > 0;
      const hasAttachments = Array.isArray(body.attachments) && body.attachments.length > 0;
      if (!hasText && !hasBlocks && !hasAttachments) return text(400, 'no_text');
      if (receiver.enforceLimits && last !== undefined && request.now - last < 1_000) {
        return tooMany(Math.ceil((last + 1_000 - request.now) / 1_000));
      }
      const answer = text(200, 'ok');
      answer.commit = () => {
        last = receiver.now();
        receiver.record(request, body);
      };
      return answer;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Generic webhook (the product's contract)

/** The replay window of the generic webhook, seconds either side of the receiver's clock. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The X-Scanner-Signature of a body, as the generic webhook expects it. */
export function webhookSignature(secret: string, timestamp: string | number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

function webhookApi(receiver: AlertReceiver, options: ReceiverOptions, url: string): Api {
  const secret = options.secret ?? randomBytes(24).toString('hex');
  const unauthorized = (error: string): Answer => json(401, { error });
  return {
    target: { url: `${url}/hook`, secret },
    statusFault: (_request, status) =>
      status === 429
        ? json(429, { error: 'rate limited', retry_after: 1 }, { 'Retry-After': '1' })
        : json(status, { error: statusText(status) }),
    rateLimitFault: (_request, seconds) =>
      json(429, { error: 'rate limited', retry_after: seconds }, { 'Retry-After': String(seconds) }),
    handle(request) {
      if (request.url.pathname !== '/hook') return json(404, { error: 'not found' });
      if (request.method !== 'POST') return json(405, { error: 'method not allowed' });
      const timestamp = header(request.headers, 'x-scanner-timestamp');
      const signature = header(request.headers, 'x-scanner-signature');
      if (timestamp === undefined || signature === undefined) {
        return unauthorized('missing X-Scanner-Timestamp or X-Scanner-Signature');
      }
      const expected = Buffer.from(webhookSignature(secret, timestamp, request.body));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return unauthorized('signature mismatch');
      }
      if (!/^\d+$/.test(timestamp)) return unauthorized('X-Scanner-Timestamp must be unix seconds');
      if (Math.abs(request.now / 1_000 - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS) {
        return unauthorized(`timestamp more than ${WEBHOOK_TOLERANCE_SECONDS} s away (replay?)`);
      }
      const key = header(request.headers, 'idempotency-key');
      if (key === undefined || key.trim() === '') return json(400, { error: 'missing Idempotency-Key' });
      const parsed = parseJson(request.body);
      if (!parsed.ok) return json(400, { error: 'body is not JSON' });
      if (receiver.received.some((r) => r.key === key)) {
        const answer = json(200, { duplicate: true });
        answer.commit = () => {
          receiver.duplicates += 1;
        };
        return answer;
      }
      const answer = json(200, { ok: true });
      answer.commit = () => receiver.record(request, parsed.value, key);
      return answer;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------

/** Start a receiver of `kind` on 127.0.0.1, on a free port. */
export async function startReceiver(kind: ReceiverKind, options: ReceiverOptions = {}): Promise<Receiver> {
  const receiver = new AlertReceiver(kind, options);
  await receiver.listen((url) => {
    switch (kind) {
      case 'telegram':
        return telegramApi(receiver, options, url);
      case 'discord':
        return discordApi(receiver, url);
      case 'slack':
        return slackApi(receiver, url);
      case 'webhook':
        return webhookApi(receiver, options, url);
    }
  });
  return receiver;
}
