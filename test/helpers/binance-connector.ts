/**
 * @module
 * Binance's official USDⓈ-M connector (@binance/derivatives-trading-usds-futures)
 * as the tests use it: one client for REST and WebSocket streams against any
 * origin (the simulator's http:// and ws:// are accepted), its logging kept
 * to errors, and a guard so that a refused WebSocket handshake cannot kill
 * the test process.
 */
import { Logger, LogLevel, type TimerRecord, WebsocketStreamsBase } from '@binance/common';
import { DerivativesTradingUsdsFutures } from '@binance/derivatives-trading-usds-futures';

/** Every WebSocket base the connector built since the guard went in, so a test can stop the ones left behind. */
const bases = new Set<WebsocketStreamsBase>();
let guarded = false;

/**
 * The connector emits every socket 'error' (a handshake answered 503,
 * ECONNREFUSED) on an EventEmitter of its own that has no listener until
 * connect() has resolved, and an unhandled 'error' event throws: the whole
 * test process dies, a .catch() on connect() notwithstanding. It also keeps
 * reconnecting a client whose connect() rejected, with no handle left to
 * stop it. So: a listener on every base before it connects (connect() still
 * rejects on the first error), and a record of the bases for stopConnectorSockets.
 * @binance/common is pinned and deduplicated, so this prototype is the one the connector uses.
 */
export function guardConnectorSockets(): void {
  if (guarded) return;
  guarded = true;
  const prototype = WebsocketStreamsBase.prototype;
  // Called below with .call(this): the unbound method is what is wanted.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const connect = prototype.connect;
  prototype.connect = function (this: WebsocketStreamsBase, stream?: string | string[]) {
    bases.add(this);
    this.on('error', () => {});
    return connect.call(this, stream);
  };
}

/** What stopConnectorSockets must reach inside a base: its reconnect queue and its timers (private in the types). */
interface BaseInternals {
  connectionQueue: unknown[];
  connectionTimers: Map<unknown, Set<TimerRecord>>;
}

/**
 * Stops every socket of every base the guard saw, including the ones a
 * rejected connect() left reconnecting (their disconnect() is a no-op while
 * no socket is open). A reconnect is a timer, then a queue the base works
 * off one a second, and neither looks at closeInitiated: both are emptied
 * first, then the sockets are marked closing and cut.
 */
export function stopConnectorSockets(): void {
  for (const base of bases) {
    const internals = base as unknown as BaseInternals;
    internals.connectionQueue.length = 0;
    for (const timers of internals.connectionTimers.values()) {
      for (const { timer, type } of timers) {
        if (type === 'interval') clearInterval(timer);
        else clearTimeout(timer);
      }
    }
    internals.connectionTimers.clear();
    for (const connection of base.connectionPool) {
      connection.closeInitiated = true;
      connection.ws?.terminate();
    }
  }
  bases.clear();
}

export interface ConnectorEndpoints {
  /** REST origin, e.g. http://127.0.0.1:PORT (method paths are absolute: /fapi/v1/...). */
  restUrl?: string;
  /** WebSocket origin without a path: the connector adds /market/stream, /public/stream, /private/stream. */
  wsUrl?: string;
}

/** A client of the official connector; without endpoints it talks to Binance itself. */
export function binanceConnector(endpoints: ConnectorEndpoints = {}): DerivativesTradingUsdsFutures {
  guardConnectorSockets();
  // The connector logs every connect and reconnect at INFO through its own singleton.
  Logger.getInstance().setMinLogLevel(LogLevel.ERROR);
  return new DerivativesTradingUsdsFutures({
    configurationRestAPI: {
      apiKey: '', // public endpoints only; the type wants a string
      ...(endpoints.restUrl ? { basePath: endpoints.restUrl } : {}),
      // The default is 1 s, too short for exchangeInfo of a whole market on a busy machine.
      timeout: 15_000,
      // retries counts attempts in all; one attempt, so that every answer a test sees is the server's first.
      retries: 1,
      backoff: 50,
    },
    configurationWebsocketStreams: {
      ...(endpoints.wsUrl ? { wsURL: endpoints.wsUrl } : {}),
      reconnectDelay: 300,
      mode: 'single',
    },
  });
}
