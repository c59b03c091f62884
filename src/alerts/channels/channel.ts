/**
 * @module
 * What a channel is to the sender: it turns a message into one HTTP request
 * and reads the receiver's answer into sent, retry (when) or give up (why).
 * Channels do no I/O, so every format and every answer is tested without a
 * network, and the sender alone owns fetching, pacing and retries.
 */
import type { AlertMessage, RenderContext } from '../alert-message.js';

/** Always a POST. */
export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface RequestContext extends RenderContext {
  /** Unique per (message, destination); the same on every retry. */
  idempotencyKey: string;
  /** ms since epoch, the sender's clock (the webhook's signature timestamp). */
  now: number;
}

export type ChannelAnswer =
  | {
      ok: true;
      /** The channel asks to wait this long before the next message (Discord's X-RateLimit-Remaining: 0 with X-RateLimit-Reset-After). */
      pauseMs?: number;
    }
  | {
      ok: false;
      temporary: boolean;
      /** One line, never the URL or a token. */
      reason: string;
      retryAfterMs?: number;
    };

export interface Channel<D> {
  request(destination: D, message: AlertMessage, context: RequestContext): OutboundRequest;
  /** Reads the receiver's HTTP answer. */
  answer(status: number, headers: Headers, body: string): ChannelAnswer;
}

export const JSON_HEADERS: Readonly<Record<string, string>> = { 'Content-Type': 'application/json' };
