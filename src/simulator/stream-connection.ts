/**
 * @module
 * One market-stream connection's life, by Binance's connection rules
 * ("Websocket Market Streams"): the server pings every 3 minutes and drops
 * a connection only when no pong came for 10 minutes (a pong is any pong,
 * solicited or not); every connection ends 24 hours after it opened; more
 * than 10 incoming messages in a second closes it. Ping and lifetime run on
 * their own timers per connection, from its own opening, as on a server
 * that tracks each connection separately.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { SimClock } from './clock.js';
import type { KlineStream } from './kline-stream.js';
import type { StreamRoute } from './stream-routes.js';

export interface ConnectionRules {
  /** Real ms between server pings. */
  pingIntervalMs: number;
  /** Real ms without a pong before the connection is dropped. */
  pongTimeoutMs: number;
  /** Exchange ms a connection lives (an accelerated clock ends it sooner in real time). */
  lifetimeMs: number;
  maxIncomingMessagesPerSecond: number;
}

/**
 * Binance documents no close code for the 24-hour end; 1000 (normal
 * closure) is what a planned close sends. Too many messages: 1008 "Too many
 * requests", as observed on Binance (binance-connector-js#530).
 */
export const LIFETIME_CLOSE = { code: 1000, reason: '' } as const;
export const RATE_CLOSE = { code: 1008, reason: 'Too many requests' } as const;

/** The lifetime check wakes at least this often (real ms), so a jump of the clock is noticed soon. */
const LIFETIME_CHECK_MS = 1_000;

export class StreamConnection {
  /** Every stream subscribed, in order, kline or not (Binance accepts any name); silent ones map to undefined. */
  readonly streams = new Map<string, KlineStream | undefined>();
  combined: boolean;
  private readonly incoming: number[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly pongDeadline: NodeJS.Timeout;
  private readonly closesAt: number;
  private lifetimeTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private held = false;

  constructor(
    readonly socket: WebSocket,
    /** The upgraded TCP socket under `socket`: corked while a tick writes, so its frames leave in one write. */
    private readonly raw: Duplex,
    readonly route: StreamRoute,
    /** Whether this route pushes /market streams (kline). */
    readonly pushesMarket: boolean,
    private readonly rules: ConnectionRules,
    private readonly clock: SimClock,
  ) {
    this.combined = route.combined;
    this.closesAt = clock.now() + rules.lifetimeMs;
    const ping = setInterval(() => socket.ping(), rules.pingIntervalMs);
    this.pongDeadline = setTimeout(() => socket.terminate(), rules.pongTimeoutMs);
    this.timers.push(ping, this.pongDeadline);
    for (const timer of this.timers) timer.unref();
    socket.on('pong', () => this.pongDeadline.refresh());
    // Binance's older futures docs count PING and PONG frames as messages too. A client's pings count
    // here; its pongs do not: they answer the server's own pings, whose cadence is the server's choice.
    socket.on('ping', () => this.count());
    this.checkLifetime();
  }

  /** True while the connection takes messages and pushes. */
  get open(): boolean {
    return !this.closing && this.socket.readyState === this.socket.OPEN;
  }

  /** Drops the connection after about `ms` real ms (the disconnect fault). */
  dropAfter(ms: number, onDrop: () => void): void {
    const timer = setTimeout(() => {
      onDrop();
      this.socket.terminate();
    }, ms);
    this.timers.push(timer.unref());
  }

  /** Counts an incoming message; false (and the connection closing) past the rate limit. */
  count(): boolean {
    if (this.closing) return false;
    const now = performance.now();
    while (this.incoming.length > 0 && this.incoming[0]! <= now - 1000) this.incoming.shift();
    this.incoming.push(now);
    if (this.incoming.length <= this.rules.maxIncomingMessagesPerSecond) return true;
    this.close(RATE_CLOSE);
    return false;
  }

  send(text: string): boolean {
    if (!this.open) return false;
    this.socket.send(text);
    return true;
  }

  /**
   * Holds what is sent until flush(): a tick's frames to one connection
   * then cost one system call instead of one each, most of the
   * simulator's CPU at a thousand streams.
   */
  hold(): boolean {
    if (this.held) return false;
    this.held = true;
    this.raw.cork();
    return true;
  }

  flush(): void {
    if (!this.held) return;
    this.held = false;
    this.raw.uncork();
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    clearTimeout(this.lifetimeTimer);
  }

  private close({ code, reason }: { code: number; reason: string }): void {
    this.closing = true;
    this.socket.close(code, reason);
  }

  private checkLifetime(): void {
    if (this.clock.now() >= this.closesAt) {
      this.close(LIFETIME_CLOSE);
      return;
    }
    const wait = Math.min(LIFETIME_CHECK_MS, this.clock.realDelayUntil(this.closesAt) + 1);
    this.lifetimeTimer = setTimeout(() => this.checkLifetime(), wait);
    this.lifetimeTimer.unref();
  }
}
