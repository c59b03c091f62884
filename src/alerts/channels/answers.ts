/**
 * @module
 * Reading a receiver's answer, the parts all channels share: which statuses
 * are worth a retry, Retry-After in either of its forms, and a reason that is
 * one short line and never carries a URL or a secret (a receiver may echo the
 * request's path, which holds the webhook's token).
 */
import type { ChannelAnswer } from './channel.js';
import { clip } from './text.js';

const REASON_DETAIL_MAX = 200;
/** Pieces of a secret this long are redacted on their own: a webhook URL's token segment, a bot token's key. */
const SECRET_PIECE_MIN = 16;
/** A shorter tail that starts a secret is taken for chance. */
const CUT_PREFIX_MIN = 4;
/** A shorter path ("/hook") holds no token, and would blank common words. */
const URL_PATH_MIN = 8;

/** Timeout, too early, rate limited, or the receiver's own trouble: the same request may succeed later. */
export function isTemporary(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The body as JSON, or undefined when it is not (a proxy's HTML page, plain text). */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** `value[key]` of a JSON object, when it is a string or a number as asked. */
export function field(value: unknown, key: string, type: 'string'): string | undefined;
export function field(value: unknown, key: string, type: 'number'): number | undefined;
export function field(value: unknown, key: string, type: 'string' | 'number'): string | number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found = (value as Record<string, unknown>)[key];
  return typeof found === type ? (found as string | number) : undefined;
}

/** A number of seconds (a header's), as ms; undefined unless a finite number ≥ 0. */
export function secondsAsMs(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
}

/**
 * Retry-After, as seconds or as an HTTP date. A date is measured against the
 * answer's own Date header, so the two clocks never need to agree.
 */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return secondsAsMs(value);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  const answeredAt = Date.parse(headers.get('date') ?? '');
  return Math.max(0, at - (Number.isNaN(answeredAt) ? Date.now() : answeredAt));
}

/** A body worth quoting in a reason: not an HTML page, one line. */
export function bodySnippet(body: string): string | undefined {
  const text = body.trim();
  if (!text || text.startsWith('<')) return undefined;
  return text;
}

/** A failed answer: temporary by status, `retryAfter` kept only when a retry makes sense. */
export function failure(
  channel: string,
  status: number,
  detail: string | undefined,
  retryAfter?: number,
): ChannelAnswer {
  const temporary = isTemporary(status);
  const said = detail ? `: ${clipLine(detail)}` : '';
  return {
    ok: false,
    temporary,
    reason: `${channel} ${status}${said}`,
    ...(temporary && retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
  };
}

/** One line of at most 200 characters, any URL replaced: a reason is logged and stored. */
function clipLine(text: string): string {
  const line = text
    .replace(/https?:\/\/\S+/gi, '<url>')
    .replace(/\s+/g, ' ')
    .trim();
  return clip(line, REASON_DETAIL_MAX);
}

/** `answer` with every secret, and every long piece of one (a URL's path, its token), taken out of its reason. */
export function redacted(answer: ChannelAnswer, secrets: readonly string[]): ChannelAnswer {
  if (answer.ok) return answer;
  const pieces = secrets
    .flatMap((secret) => [secret, ...secret.split(/[/:?&=#]/).filter((p) => p.length >= SECRET_PIECE_MIN)])
    .concat(secrets.flatMap(urlPath))
    .filter((piece) => piece.length > 0)
    .sort((a, b) => b.length - a.length);
  const whole = pieces.reduce((text, piece) => text.split(piece).join('[redacted]'), answer.reason);
  const reason = withoutCutSecret(whole, pieces);
  return reason === answer.reason ? answer : { ...answer, reason };
}

/** A reason clipped to its length may end in the first characters of a secret: those go too. */
function withoutCutSecret(reason: string, pieces: readonly string[]): string {
  if (!reason.endsWith('…')) return reason;
  const text = reason.slice(0, -1);
  for (const piece of pieces) {
    for (let n = Math.min(piece.length - 1, text.length); n >= CUT_PREFIX_MIN; n--) {
      if (text.endsWith(piece.slice(0, n))) return `${text.slice(0, -n)}[redacted]…`;
    }
  }
  return reason;
}

/** The path of a URL secret: what a receiver's "Cannot POST /…" echoes. */
function urlPath(secret: string): string[] {
  try {
    const url = new URL(secret);
    return url.pathname.length >= URL_PATH_MIN ? [`${url.pathname}${url.search}`, url.pathname] : [];
  } catch {
    return [];
  }
}
