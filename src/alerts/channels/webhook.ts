/**
 * @module
 * A generic JSON webhook, for receivers of the team's own: the alert message
 * as is, with an id that stays the same on every retry (Idempotency-Key, so a
 * receiver drops a duplicate) and an HMAC-SHA256 signature over the
 * timestamp and the body, so a receiver knows it came from the scanner, and
 * not late from someone replaying it. verifyWebhookSignature is the
 * receiver's half, exported for receivers and the docs.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookDestination } from '../destinations.js';
import { bodySnippet, failure, isSuccess, retryAfterMs } from './answers.js';
import type { Channel } from './channel.js';

export const SIGNATURE_HEADER = 'X-Scanner-Signature';
export const TIMESTAMP_HEADER = 'X-Scanner-Timestamp';
/** A signature older or newer than this is refused as a replay. */
export const SIGNATURE_TOLERANCE_MS = 300_000;

export const webhook: Channel<WebhookDestination> = {
  request(destination, message, context) {
    const body = JSON.stringify({
      id: context.idempotencyKey,
      type: message.kind,
      sentAt: new Date(context.now).toISOString(),
      late: context.lateByMs !== undefined,
      message,
    });
    const timestamp = String(Math.floor(context.now / 1000));
    return {
      url: destination.url,
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': context.idempotencyKey,
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: `sha256=${signature(destination.secret, timestamp, body)}`,
      },
      body,
    };
  },

  answer(status, headers, body) {
    if (isSuccess(status)) return { ok: true };
    return failure('webhook', status, bodySnippet(body), retryAfterMs(headers));
  },
};

function signature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * Whether `body` came signed with `secret` within `toleranceMs` of `nowMs`:
 * the receiver's check, on the raw body as received (before any JSON
 * parsing). The comparison takes the same time whatever the bytes.
 */
export function verifyWebhookSignature(
  secret: string,
  timestampHeader: string | null | undefined,
  signatureHeader: string | null | undefined,
  body: string,
  nowMs: number,
  toleranceMs = SIGNATURE_TOLERANCE_MS,
): boolean {
  if (!timestampHeader || !/^\d{1,15}$/.test(timestampHeader)) return false;
  if (Math.abs(nowMs - Number(timestampHeader) * 1000) > toleranceMs) return false;
  const given = /^sha256=([0-9a-f]{64})$/i.exec(signatureHeader ?? '')?.[1];
  if (!given) return false;
  const expected = Buffer.from(signature(secret, timestampHeader, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
