/**
 * @module
 * The simulator's server: builds its parts from the options, routes each
 * HTTP request to the admin controls or the REST handler, upgrades
 * WebSockets to the market streams, and listens.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleAdminRequest } from './admin-api.js';
import { binanceErrors } from './binance-errors.js';
import { SimClock } from './clock.js';
import { ExchangeState } from './exchange-state.js';
import { isInterval } from './intervals.js';
import { KlineStreams } from './kline-streams.js';
import { type FaultOptions, type SimulatorOptionsInput, simulatorOptionsSchema } from './options.js';
import { RestHandler } from './rest-handler.js';
import { hashString, sequence } from './rng.js';
import { type Simulator, statusOf } from './simulator.js';
import { SimulatorStats } from './stats.js';
import { DEFAULT_WEIGHT_OPTIONS, WeightLimiter } from './weight.js';

export type { Simulator } from './simulator.js';

/**
 * Computes the candles a scan asks for first a few symbols at a time,
 * yielding to requests in between.
 */
function prewarm(state: ExchangeState, intervals: readonly string[], limit: number): void {
  const known = intervals.filter(isInterval);
  let next = 0;
  const step = () => {
    const now = state.clock.now();
    for (const symbol of state.universe.slice(next, next + 8)) {
      for (const interval of known) state.model.klines(symbol.id, interval, { limit }, now);
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
    seed: options.seed,
    updateMs: options.klineUpdateMs,
    finals: { delayMs: options.klineFinalDelayMs, jitterMs: options.klineFinalJitterMs },
    maxStreamsPerConnection: options.maxStreamsPerConnection,
    maxIncomingMessagesPerSecond: options.maxIncomingMessagesPerSecond,
    pingIntervalMs: options.wsPingMs,
    pongTimeoutMs: options.wsPongTimeoutMs,
    lifetimeMs: options.wsLifetimeMs,
    legacyPaths: options.wsLegacyPaths,
    disconnectAfterMs: () => (faults.wsDisconnectMs > 0 ? faults.wsDisconnectMs * (0.5 + random()) : 0),
  });
  const rest = new RestHandler({ options, state, limiter, stats, faults: () => faults, random });

  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://simulator');
    } catch {
      res
        .writeHead(400, { 'Content-Type': 'application/json;charset=UTF-8' })
        .end(JSON.stringify(binanceErrors.invalidValue('url').body));
      return;
    }
    if (url.pathname.startsWith('/admin/')) handleAdminRequest(sim, req, res, url.pathname);
    else rest.handle(req, res, url);
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

  const sim: Simulator = {
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}`,
    options,
    clock,
    state,
    limiter,
    streams,
    stats,
    get faults() {
      return faults;
    },
    setFaults(update) {
      const next = { ...faults, ...update };
      state.setDelisted(next.delisted);
      if (next.wsOutage && !faults.wsOutage) streams.dropAll();
      faults = next;
    },
    status: () => statusOf(sim),
    close: async () => {
      rest.close();
      await streams.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  if (options.prewarm) prewarm(state, options.prewarmIntervals, options.prewarmLimit);
  return sim;
}
