/**
 * @module
 * The control messages a market-stream connection answers (Binance's "Live
 * Subscribing/Unsubscribing to streams"): SUBSCRIBE, UNSUBSCRIBE,
 * LIST_SUBSCRIPTIONS, SET_PROPERTY and GET_PROPERTY, with the documented
 * replies and error messages. Binance's table shows the errors flat; on the
 * wire they are nested, {"error":{"code":2,"msg":"…"},"id":1}, which is also
 * what ccxt's handleWsError reads. A malformed request gets "id": null.
 */
import { looksLikeStream } from './stream-routes.js';

/** What a control message can read and change on its connection. */
export interface ControlTarget {
  /** Subscribes the names not subscribed yet; returns an error message if the connection may not take them. */
  subscribe(names: string[]): string | undefined;
  unsubscribe(names: string[]): void;
  subscriptions(): string[];
  combined: boolean;
}

type Id = number | string | null;
type Reply = { result: unknown; id: Id } | { error: { code: number; msg: string }; id: Id };

const METHODS = ['SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS', 'SET_PROPERTY', 'GET_PROPERTY'];

const fail = (code: number, msg: string, id: Id = null): Reply => ({ error: { code, msg }, id });

/** serde's "at line 1 column N": the column just past `token` in the request (or past its end). */
function columnAfter(text: string, token: string): number {
  const at = text.indexOf(token);
  return at < 0 ? text.length : at + token.length;
}

/** The request ID Binance takes: an unsigned integer (Binance's own connector sends 32-hex strings, also taken). */
function isId(id: unknown): id is number | string {
  return (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) || typeof id === 'string';
}

/** Answers one text message; `target` is changed as the message asks. */
export function answerControl(text: string, target: ControlTarget): Reply {
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch {
    return fail(3, 'Invalid JSON: expected value at line 1 column 1');
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return fail(2, 'Invalid request');
  }
  const { method, params, id } = request as { method?: unknown; params?: unknown; id?: unknown };
  if (method === undefined) {
    return fail(2, `Invalid request: missing field \`method\` at line 1 column ${text.length}`);
  }
  if (!isId(id)) return fail(2, 'Invalid request: request ID must be an unsigned integer');
  if (typeof method !== 'string' || !METHODS.includes(method)) {
    const token = JSON.stringify(method);
    const shown = typeof method === 'string' ? `\`${method}\`` : token;
    return fail(
      2,
      `Invalid request: unknown variant ${shown}, expected one of ${METHODS.map((m) => `\`${m}\``).join(', ')} at line 1 column ${columnAfter(text, token)}`,
      id,
    );
  }
  const list = params === undefined ? [] : params;
  if (!Array.isArray(list)) return fail(2, 'Invalid request: params must be a list', id);
  switch (method) {
    case 'SUBSCRIBE':
    case 'UNSUBSCRIBE': {
      if (list.some((name) => typeof name !== 'string' || !looksLikeStream(name))) {
        return fail(2, 'Invalid request: invalid stream', id);
      }
      const names = [...new Set(list as string[])];
      if (method === 'UNSUBSCRIBE') target.unsubscribe(names);
      else {
        const refused = target.subscribe(names);
        if (refused) return fail(2, refused, id);
      }
      return { result: null, id };
    }
    case 'LIST_SUBSCRIPTIONS':
      return { result: target.subscriptions(), id };
    default: {
      // SET_PROPERTY ["combined", true] / GET_PROPERTY ["combined"]: the only property there is.
      const arity = method === 'SET_PROPERTY' ? 2 : 1;
      if (list.length > arity) return fail(2, 'Invalid request: too many parameters', id);
      const [name, value] = list as unknown[];
      if (typeof name !== 'string') return fail(2, 'Invalid request: property name must be a string', id);
      if (name !== 'combined') return fail(0, 'Unknown property', id);
      if (method === 'GET_PROPERTY') return { result: target.combined, id };
      if (typeof value !== 'boolean') return fail(1, 'Invalid value type: expected Boolean', id);
      target.combined = value;
      return { result: null, id };
    }
  }
}
