import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { ExchangeState } from './exchange-state.js';
import { type Interval, isInterval, MINUTE_MS, nextOpenTime, openTimeOf } from './intervals.js';
import type { Candle } from './market-model.js';
import type { SimulatorStats } from './stats.js';
import type { ListedSymbol } from './universe.js';

/**
 * Binance's market streams over WebSocket, on any path: raw streams
 * (/ws/<stream> or SUBSCRIBE on /ws/...) and combined streams
 * (/stream?streams=a/b, events wrapped in {"stream","data"}). Kline streams
 * get an update of the forming candle every `updateMs`, and a final event
 * (k.x = true) for each candle that closed, promptly after its close.
 */
export interface StreamOptions {
  updateMs: number;
  maxStreamsPerConnection: number;
  maxIncomingMessagesPerSecond: number;
  /** 0: never; else each connection is dropped after about this long. */
  disconnectAfterMs: () => number;
  /** Binance pings every 3 minutes and drops a connection that missed its pong by the next ping. */
  pingIntervalMs?: number;
}

interface Subscription {
  symbol: ListedSymbol;
  interval: Interval;
  /** Open time of the candle last reported. */
  lastOpen?: number;
}

interface Connection {
  socket: WebSocket;
  combined: boolean;
  /** Every stream name subscribed, kline or not (Binance accepts any name). */
  streams: Map<string, Subscription | undefined>;
  incoming: number[];
  dropTimer?: NodeJS.Timeout;
  /** Answered the last ping. */
  alive: boolean;
}

const KLINE_STREAM = /^([a-z0-9_]+)@kline_([0-9]+[mhdwM])$/;
/** Binance caps how many closed candles a stream catches up on; we do too. */
const MAX_FINALS_PER_TICK = 10;

export class KlineStreams {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly connections = new Set<Connection>();
  private timer: NodeJS.Timeout | undefined;
  private readonly pinger: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly state: ExchangeState,
    private readonly stats: SimulatorStats,
    private readonly options: StreamOptions,
  ) {
    this.pinger = setInterval(() => {
      for (const c of this.connections) {
        if (!c.alive) {
          c.socket.terminate();
          continue;
        }
        c.alive = false;
        c.socket.ping();
      }
    }, options.pingIntervalMs ?? 180_000);
    this.pinger.unref();
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
  }

  get streamCount(): number {
    let n = 0;
    for (const c of this.connections) n += c.streams.size;
    return n;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Drops every connection abruptly, as a network fault would. */
  dropAll(): number {
    const n = this.connections.size;
    for (const c of this.connections) c.socket.terminate();
    this.stats.ws.forcedDisconnects += n;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    for (const c of this.connections) c.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    const url = new URL(request.url ?? '/', 'ws://simulator');
    const connection: Connection = {
      socket,
      combined: url.pathname.startsWith('/stream'),
      streams: new Map(),
      incoming: [],
      alive: true,
    };
    socket.on('pong', () => (connection.alive = true));
    this.connections.add(connection);
    this.stats.ws.connections = this.connections.size;
    this.stats.ws.opened++;
    const initial = connection.combined
      ? (url.searchParams.get('streams') ?? '').split('/')
      : [decodeURIComponent(url.pathname.split('/').pop() ?? '')];
    this.subscribe(
      connection,
      initial.filter((name) => KLINE_STREAM.test(name)),
    );

    const dropAfter = this.options.disconnectAfterMs();
    if (dropAfter > 0) {
      connection.dropTimer = setTimeout(() => {
        this.stats.ws.forcedDisconnects++;
        socket.terminate();
      }, dropAfter);
    }
    socket.on('message', (data: Buffer, isBinary) =>
      this.onMessage(connection, isBinary ? '' : data.toString('utf8')),
    );
    socket.on('close', () => {
      clearTimeout(connection.dropTimer);
      this.connections.delete(connection);
      this.stats.ws.connections = this.connections.size;
    });
    socket.on('error', () => socket.terminate());
    this.schedule();
  }

  private reply(connection: Connection, message: unknown): void {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    connection.socket.send(JSON.stringify(message));
    this.stats.ws.messagesOut++;
  }

  private onMessage(connection: Connection, text: string): void {
    this.stats.ws.messagesIn++;
    const now = Date.now();
    connection.incoming = connection.incoming.filter((t) => t > now - 1000);
    connection.incoming.push(now);
    if (connection.incoming.length > this.options.maxIncomingMessagesPerSecond) {
      // Binance drops a connection that sends more than its message rate.
      connection.socket.close(1008, 'Too many requests');
      return;
    }
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch {
      this.reply(connection, {
        error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' },
        id: null,
      });
      return;
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      this.reply(connection, { error: { code: 2, msg: 'Invalid request: expected an object' }, id: null });
      return;
    }
    const { method, params, id } = request as { method?: unknown; params?: unknown; id?: unknown };
    if (
      id !== undefined &&
      id !== null &&
      !(typeof id === 'number' && Number.isInteger(id) && id >= 0) &&
      typeof id !== 'string'
    ) {
      this.reply(connection, {
        error: { code: 2, msg: 'Invalid request: request ID must be an unsigned integer' },
        id: null,
      });
      return;
    }
    const replyId = id ?? null;
    switch (method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        if (!Array.isArray(params) || params.some((p) => typeof p !== 'string')) {
          this.reply(connection, {
            error: { code: 2, msg: 'Invalid request: params must be a list of stream names' },
            id: replyId,
          });
          return;
        }
        if (method === 'SUBSCRIBE') {
          const fresh = (params as string[]).filter((name) => !connection.streams.has(name));
          if (connection.streams.size + fresh.length > this.options.maxStreamsPerConnection) {
            this.reply(connection, {
              error: {
                code: 2,
                msg: `Invalid request: a connection can listen to at most ${this.options.maxStreamsPerConnection} streams`,
              },
              id: replyId,
            });
            return;
          }
          this.subscribe(connection, fresh);
        } else {
          for (const name of params as string[]) connection.streams.delete(name);
        }
        this.reply(connection, { result: null, id: replyId });
        return;
      }
      case 'LIST_SUBSCRIPTIONS':
        this.reply(connection, { result: [...connection.streams.keys()], id: replyId });
        return;
      case 'SET_PROPERTY':
      case 'GET_PROPERTY':
        this.reply(connection, { result: method === 'GET_PROPERTY' ? false : null, id: replyId });
        return;
      default:
        this.reply(connection, {
          error: { code: 2, msg: `Invalid request: unknown method ${String(method)}` },
          id: replyId,
        });
    }
  }

  private subscribe(connection: Connection, names: string[]): void {
    for (const name of names) {
      const match = KLINE_STREAM.exec(name);
      const symbol = match ? this.state.live(match[1]!.toUpperCase()) : undefined;
      const interval = match?.[2];
      // Unknown names are accepted and stay silent, as on Binance.
      connection.streams.set(
        name,
        symbol && interval && isInterval(interval) ? { symbol, interval } : undefined,
      );
    }
    this.schedule();
  }

  /** One timer for all streams: at the update cadence, and right after every minute boundary. */
  private schedule(): void {
    if (this.closed || this.timer) return;
    const now = this.state.clock.now();
    const nextMinute = (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS;
    const delay = Math.min(this.options.updateMs, this.state.clock.realDelayUntil(nextMinute) + 1);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tick();
      if (this.connections.size > 0) this.schedule();
    }, delay);
  }

  private tick(): void {
    const now = this.state.clock.now();
    for (const connection of this.connections) {
      for (const [name, sub] of connection.streams) {
        if (!sub || this.state.isDelisted(sub.symbol.id)) continue;
        const current = openTimeOf(sub.interval, now);
        if (sub.lastOpen !== undefined && sub.lastOpen < current) {
          // Final events for every candle that closed since the last tick.
          let open = sub.lastOpen;
          const finals: number[] = [];
          while (open < current) {
            finals.push(open);
            open = nextOpenTime(sub.interval, open);
          }
          for (const t of finals.slice(-MAX_FINALS_PER_TICK)) {
            const candle = this.state.model.candle(sub.symbol.id, sub.interval, t, now);
            if (candle) this.sendKline(connection, name, sub, candle, now);
          }
        }
        const forming = this.state.model.candle(sub.symbol.id, sub.interval, current, now);
        if (forming) this.sendKline(connection, name, sub, forming, now);
        sub.lastOpen = current;
      }
    }
  }

  private sendKline(connection: Connection, stream: string, sub: Subscription, c: Candle, now: number): void {
    const { symbol } = sub;
    const p = symbol.pricePrecision;
    const q = symbol.quantityPrecision;
    const step = 10 ** -q;
    const data = {
      e: 'kline',
      E: now,
      s: symbol.id,
      k: {
        t: c.openTime,
        T: c.closeTime,
        s: symbol.id,
        i: sub.interval,
        f: c.firstTradeId,
        L: c.firstTradeId + c.trades - 1,
        o: c.open.toFixed(p),
        c: c.close.toFixed(p),
        h: c.high.toFixed(p),
        l: c.low.toFixed(p),
        v: (c.volumeSteps * step).toFixed(q),
        n: c.trades,
        x: c.closed,
        q: c.quoteVolume.toFixed(4),
        V: (c.takerBuySteps * step).toFixed(q),
        Q: c.takerBuyQuote.toFixed(4),
        B: '0',
      },
    };
    this.reply(connection, connection.combined ? { stream, data } : data);
    this.stats.ws.klineEvents++;
  }
}
