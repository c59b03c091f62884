/**
 * @module
 * The simulator's WebSocket market streams, as Binance serves them since
 * the 2026-04-23 URL split: connections on the paths stream-routes.ts
 * accepts, control messages (stream-control.ts), each connection's rules
 * (stream-connection.ts), and kline streams pushed at their own moments
 * (push-wheel.ts) with what kline-stream.ts decides to push. Kline is a
 * /market stream: pushed on /market/… only (and on the retired unrouted
 * paths only when `legacyPaths` asks for the pre-cutover behaviour).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ExchangeState } from './exchange-state.js';
import { type FinalTiming, KlineStream, parseKlineStream } from './kline-stream.js';
import { PushWheel } from './push-wheel.js';
import { hashString } from './rng.js';
import type { SimulatorStats } from './stats.js';
import { type ConnectionRules, StreamConnection } from './stream-connection.js';
import { answerControl, type ControlTarget } from './stream-control.js';
import { parseStreamRoute, type StreamRoute, UNKNOWN_PATH_STATUS } from './stream-routes.js';

export interface StreamOptions extends ConnectionRules {
  /** The market seed: streams' phases and final delays are drawn from it. */
  seed: string;
  /** Real ms between two updates of one kline stream, at most. */
  updateMs: number;
  finals: FinalTiming;
  maxStreamsPerConnection: number;
  /** Push /market streams on the retired unrouted paths too (/ws, /stream), as before 2026-04-23. */
  legacyPaths: boolean;
  /** 0: never; else each connection is dropped after about this long (real ms; the disconnect fault). */
  disconnectAfterMs: () => number;
}

export class KlineStreams {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly connections = new Set<StreamConnection>();
  /** The connection each pushed stream belongs to. */
  private readonly owners = new Map<KlineStream, StreamConnection>();
  private readonly wheel: PushWheel<KlineStream>;
  private readonly seed: number;
  /** The earliest final due on any stream (exchange ms): before it, no tick looks for finals. */
  private earliestFinal = Infinity;
  /** Connections holding their frames until the end of the tick. */
  private readonly holding: StreamConnection[] = [];

  constructor(
    private readonly state: ExchangeState,
    private readonly stats: SimulatorStats,
    private readonly options: StreamOptions,
  ) {
    this.seed = hashString(`streams/${options.seed}`);
    this.wheel = new PushWheel(options.updateMs, (due) => this.tick(due));
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const route = parseStreamRoute(request.url);
    if (!route) {
      socket.end(
        `HTTP/1.1 ${UNKNOWN_PATH_STATUS} Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, socket, route));
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
    this.wheel.close();
    for (const c of this.connections) {
      c.stop();
      c.socket.terminate();
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket, raw: Duplex, route: StreamRoute): void {
    const pushesMarket =
      route.category === 'market' || (route.category === 'unrouted' && this.options.legacyPaths);
    const connection = new StreamConnection(socket, raw, route, pushesMarket, this.options, this.state.clock);
    this.connections.add(connection);
    this.stats.ws.connections = this.connections.size;
    this.stats.ws.opened++;
    // Streams named in the URL beyond the limit are left out (what Binance does is not documented).
    this.subscribe(connection, route.streams.slice(0, this.options.maxStreamsPerConnection));
    const dropAfter = this.options.disconnectAfterMs();
    if (dropAfter > 0) connection.dropAfter(dropAfter, () => this.stats.ws.forcedDisconnects++);

    const target = this.controlTarget(connection);
    socket.on('message', (data: Buffer, isBinary) => {
      this.stats.ws.messagesIn++;
      if (!connection.count()) return;
      this.send(connection, JSON.stringify(answerControl(isBinary ? '' : data.toString('utf8'), target)));
    });
    socket.on('close', () => {
      connection.stop();
      this.unsubscribe(connection, [...connection.streams.keys()]);
      this.connections.delete(connection);
      this.stats.ws.connections = this.connections.size;
    });
    socket.on('error', () => socket.terminate());
  }

  private controlTarget(connection: StreamConnection): ControlTarget {
    const max = this.options.maxStreamsPerConnection;
    return {
      subscribe: (names) => {
        const fresh = names.filter((name) => !connection.streams.has(name));
        // Binance documents the limit (1024) but not its answer past it: refuse the request, keep the connection.
        if (connection.streams.size + fresh.length > max)
          return `Invalid request: a connection can listen to at most ${max} streams`;
        this.subscribe(connection, fresh);
        return undefined;
      },
      unsubscribe: (names) => this.unsubscribe(connection, names),
      subscriptions: () => [...connection.streams.keys()],
      get combined() {
        return connection.combined;
      },
      set combined(value: boolean) {
        connection.combined = value;
      },
    };
  }

  private subscribe(connection: StreamConnection, names: readonly string[]): void {
    for (const name of names) {
      if (connection.streams.has(name)) continue;
      // Names that are no kline stream of a live symbol are accepted and stay silent, as on Binance.
      const kline = parseKlineStream(name, (id) => this.state.live(id));
      const stream = kline
        ? new KlineStream(name, kline.symbol, kline.interval, this.seed, this.options.finals)
        : undefined;
      connection.streams.set(name, stream);
      if (stream && connection.pushesMarket) {
        this.owners.set(stream, connection);
        this.wheel.add(stream, stream.phase);
      }
    }
  }

  private unsubscribe(connection: StreamConnection, names: readonly string[]): void {
    for (const name of names) {
      const stream = connection.streams.get(name);
      connection.streams.delete(name);
      if (!stream) continue;
      this.wheel.delete(stream);
      this.owners.delete(stream);
    }
  }

  /** A wheel tick: finals that fell due on any stream, then the updates of the streams whose turn it is. */
  private tick(due: ReadonlyArray<ReadonlySet<KlineStream>>): void {
    const now = this.state.clock.now();
    if (now >= this.earliestFinal) {
      let earliest = Infinity;
      for (const stream of this.wheel.items()) {
        if (now >= stream.finalDue) this.pushFinals(stream, now);
        earliest = Math.min(earliest, stream.finalDue);
      }
      this.earliestFinal = earliest;
    }
    for (const slot of due) {
      for (const stream of slot) {
        if (!this.pushFinals(stream, now)) continue;
        const update = stream.update(this.state.model, now);
        if (update) this.pushKline(stream, update);
        this.earliestFinal = Math.min(this.earliestFinal, stream.finalDue);
      }
    }
    for (const connection of this.holding) connection.flush();
    this.holding.length = 0;
  }

  /** Sends the finals due on `stream`; false if the stream is silent (its symbol delisted). */
  private pushFinals(stream: KlineStream, now: number): boolean {
    if (this.state.isDelisted(stream.symbol.id)) {
      stream.reset();
      return false;
    }
    for (const event of stream.finals(this.state.model, now)) this.pushKline(stream, event);
    return true;
  }

  private pushKline(stream: KlineStream, event: string): void {
    const connection = this.owners.get(stream);
    if (!connection) return;
    if (connection.hold()) this.holding.push(connection);
    if (this.send(connection, connection.combined ? `{"stream":"${stream.name}","data":${event}}` : event))
      this.stats.ws.klineEvents++;
  }

  private send(connection: StreamConnection, text: string): boolean {
    if (!connection.send(text)) return false;
    this.stats.ws.messagesOut++;
    return true;
  }
}
