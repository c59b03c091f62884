/**
 * @module
 * Sends one alert to one destination over HTTP: at the destination's pace,
 * rendered by its channel, with a timeout, and the answer turned into the
 * product's errors once, here: DeliveryRateLimitedError (wait its
 * retry_after), DeliveryError (try again later), DeliveryRejectedError
 * (never). No message of these errors carries a URL or a secret: channels
 * word their reasons from the answer's body, network errors are reduced to
 * their code, and every secret is masked on the way out regardless.
 */
import type { AlertMessage } from '../alerts/alert-message.js';
import { channelFor } from '../alerts/channels/index.js';
import type { Destination } from '../alerts/destinations.js';
import { DeliveryError, DeliveryRateLimitedError, DeliveryRejectedError } from '../core/errors.js';
import { Pacer } from './pacer.js';

/** A receiver that takes longer than this to answer is taken as down (the message is tried again). */
export const SEND_TIMEOUT_MS = 10_000;

export interface SendOptions {
  idempotencyKey: string;
  /** Set when the message goes out late: ms from its close (or queueing) to now. */
  lateByMs?: number;
}

export interface Sent {
  /** The receiver's status code. */
  status: number;
  /** How long the message waited for the destination's pace, ms. */
  pacedMs: number;
}

export class AlertSender {
  constructor(
    private readonly secrets: readonly string[],
    private readonly pacer = new Pacer(),
    private readonly timeoutMs = SEND_TIMEOUT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async send(destination: Destination, message: AlertMessage, options: SendOptions): Promise<Sent> {
    const channel = channelFor(destination);
    const waitStarted = this.now();
    await this.pacer.ready(destination.name);
    const pacedMs = this.now() - waitStarted;
    const request = channel.request(message, {
      idempotencyKey: options.idempotencyKey,
      now: this.now(),
      ...(options.lateByMs === undefined ? {} : { lateByMs: options.lateByMs }),
    });
    let response: Response;
    let body: string;
    try {
      response = await fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(this.timeoutMs),
        // A redirect is not followed (it would POST the alert somewhere not configured): refused below.
        redirect: 'manual',
      });
      body = await response.text();
    } catch (error) {
      // The next message waits its spacing too: the receiver may have taken this one.
      this.pacer.sent(destination.name, destination.minIntervalMs);
      throw new DeliveryError(
        this.masked(`${destination.name}: no answer: ${networkReason(error, this.timeoutMs)}`),
      );
    }
    if (response.status >= 300 && response.status < 400) {
      this.pacer.sent(destination.name, destination.minIntervalMs);
      throw new DeliveryRejectedError(
        `${destination.name}: redirected (${response.status}): configure the URL it redirects to`,
      );
    }
    const answer = channel.answer(response.status, response.headers, body);
    if (answer.ok) {
      this.pacer.sent(destination.name, destination.minIntervalMs, answer.pauseMs);
      return { status: response.status, pacedMs };
    }
    const reason = this.masked(`${destination.name}: ${answer.reason}`);
    if (!answer.temporary) throw new DeliveryRejectedError(reason);
    if (answer.retryAfterMs !== undefined) {
      this.pacer.hold(destination.name, answer.retryAfterMs);
      throw new DeliveryRateLimitedError(reason, answer.retryAfterMs);
    }
    this.pacer.sent(destination.name, destination.minIntervalMs);
    throw new DeliveryError(reason);
  }

  private masked(text: string): string {
    return this.secrets.reduce((out, secret) => (secret ? out.replaceAll(secret, '***') : out), text);
  }
}

/** A fetch failure in a few words: the timeout, or the socket's error code (never the URL). */
function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError')
    return `timed out after ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'unknown error';
}
