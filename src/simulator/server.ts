import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AdminRequestError, handleAdmin, isLoopback } from './admin-api.js';
import { BinanceApiError, binanceErrors } from './binance-errors.js';
import { SimClock } from './clock.js';
import { ExchangeState } from './exchange-state.js';
import { drawRestFault, malform } from './faults.js';
import { KlineStreams } from './kline-streams.js';
import {
  type FaultOptions,
  type SimulatorOptions,
  type SimulatorOptionsInput,
  simulatorOptionsSchema,
} from './options.js';
import { RawJson, REST_ROUTES } from './rest-api.js';
import { hashString, sequence } from './rng.js';
import { SimulatorStats } from './stats.js';
import { DEFAULT_WEIGHT_OPTIONS, WeightLimiter } from './weight.js';

const JSON_TYPE = 'application/json;charset=UTF-8';

/** A running simulator: its address, its controls and its counters. */
export interface Simulator {
  /** http://host:port: REST under /fapi, WebSocket on any path, admin under /admin. */
  readonly url: string;
  readonly wsUrl: string;
  readonly options: SimulatorOptions;
  readonly clock: SimClock;
  readonly state: ExchangeState;
  readonly limiter: WeightLimiter;
  readonly streams: KlineStreams;
  readonly stats: SimulatorStats;
  setFaults(faults: Partial<FaultOptions>): void;
  status(): ReturnType<typeof statusOf>;
  close(): Promise<void>;
}

function statusOf(sim: Simulator, faults: FaultOptions) {
  return {
    now: sim.clock.now(),
    speed: sim.clock.rate,
    symbols: sim.state.universe.length,
    faults,
    streams: { connections: sim.streams.connectionCount, subscriptions: sim.streams.streamCount },
    stats: sim.stats.snapshot(),
  };
}

/**
 * Computes the candles a scan asks for first (99 of 1h, 15m and 5m for
 * every symbol) a few symbols at a time, yielding to requests in between.
 */
function prewarm(state: ExchangeState): void {
  const intervals = ['1h', '15m', '5m'] as const;
  let next = 0;
  const step = () => {
    const now = state.clock.now();
    for (const symbol of state.universe.slice(next, next + 8)) {
      for (const interval of intervals) state.model.klines(symbol.id, interval, { limit: 99 }, now);
    }
    next += 8;
    if (next < state.universe.length) setImmediate(step);
  };
  setImmediate(step);
}

export async function startSimulator(input: SimulatorOptionsInput = {}): Promise<Simulator> {
  const options = simulatorOptionsSchema.parse(input);
  const clock = new SimClock(options.speed, options.startTime);
  const state = new ExchangeState(options.seed, options.symbols, clock);
  let faults: FaultOptions = { ...options.faults };
  state.setDelisted(faults.delisted);
  const random = sequence(hashString(`faults/${options.seed}`));
  const stats = new SimulatorStats();
  const limiter = new WeightLimiter({
    ...DEFAULT_WEIGHT_OPTIONS,
    limit: options.weightLimit,
    windowMs: options.weightWindowMs,
    banBaseMs: options.banBaseMs,
  });
  const streams = new KlineStreams(state, stats, {
    updateMs: options.klineUpdateMs,
    maxStreamsPerConnection: options.maxStreamsPerConnection,
    maxIncomingMessagesPerSecond: options.maxIncomingMessagesPerSecond,
    pingIntervalMs: options.wsPingMs,
    disconnectAfterMs: () => (faults.wsDisconnectMs > 0 ? faults.wsDisconnectMs * (0.5 + random()) : 0),
  });
  const jitter = options.jitterMs ?? options.latencyMs / 5;
  const latency = () => Math.max(0, options.latencyMs + (random() * 2 - 1) * jitter);
  const pending = new Set<NodeJS.Timeout>();
  const hanging = new Set<ServerResponse>();

  const later = (fn: () => void) => {
    const timer = setTimeout(() => {
      pending.delete(timer);
      fn();
    }, latency());
    pending.add(timer);
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string | number>,
  ) => {
    later(() => {
      if (res.destroyed) return;
      res.writeHead(status, { 'Content-Type': JSON_TYPE, ...headers });
      res.end(body);
    });
  };

  const sim: Simulator = {
    url: '',
    wsUrl: '',
    options,
    clock,
    state,
    limiter,
    streams,
    stats,
    setFaults(update) {
      const next = { ...faults, ...update };
      state.setDelisted(next.delisted);
      if (next.wsOutage && !faults.wsOutage) streams.dropAll();
      faults = next;
    },
    status: () => statusOf(sim, faults),
    close: async () => {
      for (const timer of pending) clearTimeout(timer);
      for (const res of hanging) res.destroy();
      await streams.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const handleAdminRequest = (req: IncomingMessage, res: ServerResponse, path: string) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': JSON_TYPE });
      res.end(JSON.stringify(body));
    };
    if (!isLoopback(req.socket.remoteAddress))
      return answer(403, { error: 'admin endpoints answer loopback only' });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 64 * 1024) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        const body: unknown = text ? JSON.parse(text) : {};
        const result = handleAdmin(sim, req.method ?? 'GET', path, body);
        if (result === undefined) return answer(404, { error: `no admin endpoint ${req.method} ${path}` });
        answer(200, result);
      } catch (error) {
        const message =
          error instanceof AdminRequestError || error instanceof SyntaxError ? error.message : String(error);
        answer(400, { error: message });
      }
    });
  };

  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://simulator');
    } catch {
      res
        .writeHead(400, { 'Content-Type': JSON_TYPE })
        .end(JSON.stringify(binanceErrors.invalidValue('url').body));
      return;
    }
    const path = url.pathname;
    if (path.startsWith('/admin/')) return handleAdminRequest(req, res, path);

    const ip = req.socket.remoteAddress ?? 'unknown';
    const route = REST_ROUTES[path];
    let weight = 1;
    try {
      if (route) weight = route.weight(url.searchParams);
    } catch {
      weight = 1;
    }
    const admission = limiter.admit(ip, weight);
    const headers = { 'X-MBX-USED-WEIGHT-1M': admission.usedWeight };
    if (admission.kind !== 'ok') {
      const retryAfter = Math.ceil(admission.retryAfterMs / 1000);
      const status = admission.kind === 'banned' ? 418 : 429;
      const msg =
        admission.kind === 'banned'
          ? `Way too many requests; IP(${ip}) banned until ${admission.bannedUntil}. Please use the websocket for live updates to avoid bans.`
          : `Too many requests; current limit of IP(${ip}) request weight per minute is ${options.weightLimit}. Please use WebSocket Streams for live updates to avoid polling the API.`;
      stats.record(path, status, 0);
      send(res, status, JSON.stringify({ code: -1003, msg }), { ...headers, 'Retry-After': retryAfter });
      return;
    }

    const fault = route ? drawRestFault(faults, random) : 'none';
    if (fault === 'hang') {
      stats.faults.hang++;
      stats.record(path, 0, weight);
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (fault === 'error') {
      stats.faults.error++;
      stats.record(path, 503, weight);
      later(() => {
        if (res.destroyed) return;
        res.writeHead(503, { 'Content-Type': 'text/plain', ...headers });
        res.end('Service Unavailable');
      });
      return;
    }

    let status = 200;
    let body: string;
    try {
      if (!route) throw binanceErrors.unknownPath(path, req.method ?? 'GET');
      if (req.method !== 'GET') throw binanceErrors.unknownPath(path, req.method ?? '');
      const names = [...url.searchParams.keys()];
      if (new Set(names).size !== names.length) throw binanceErrors.duplicate();
      const result = route.handle(url.searchParams, state);
      if (fault === 'malformed') {
        stats.faults.malformed++;
        const broken = malform(result instanceof RawJson ? result.toJSON() : result, random);
        stats.malformations[broken.kind] = (stats.malformations[broken.kind] ?? 0) + 1;
        body = broken.text;
      } else {
        body = result instanceof RawJson ? result.json : JSON.stringify(result);
      }
    } catch (error) {
      const apiError =
        error instanceof BinanceApiError
          ? error
          : new BinanceApiError(500, -1000, 'An unknown error occurred while processing the request.');
      if (!(error instanceof BinanceApiError)) console.error('[simulator] unexpected error', error);
      status = apiError.status;
      body = JSON.stringify(apiError.body);
    }
    stats.record(path, status, weight);
    send(res, status, body, headers);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (faults.wsOutage) {
      stats.faults.wsRefused++;
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    streams.handleUpgrade(req, socket, head);
  });
  server.keepAliveTimeout = 65_000;
  // Hundreds of concurrent requests from one client, as a scanner sends.
  server.maxConnections = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  Object.assign(sim, { url: `http://${host}:${port}`, wsUrl: `ws://${host}:${port}` });
  if (options.prewarm) prewarm(state);
  return sim;
}
