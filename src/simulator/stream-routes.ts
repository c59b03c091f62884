/**
 * @module
 * Which WebSocket paths the market-stream endpoint answers, and what a path
 * means, as Binance routes them since 2026-04-23 ("Websocket Market
 * Streams", and the "Important WebSocket Change Notice — Base URL Split &
 * Migration"): `/market`, `/public` and `/private`, each in ws mode
 * (`/<route>/ws/<stream>/<stream>…`, or `/<route>/ws` then SUBSCRIBE) or in
 * stream mode (`/<route>/stream?streams=a/b`, events wrapped in
 * {"stream","data"}). The retired unrouted paths `/ws…` and `/stream…` still
 * complete the handshake and acknowledge SUBSCRIBE, but push no /market
 * stream (kline is one): every report since the cutover says so
 * (binance-futures-connector-python#261, binance-public-data#472,
 * Tucsky/aggr#444); none saw an error, a close or a 404 there.
 */

/** Binance's routes; `unrouted` is a retired path without one. */
export type StreamCategory = 'market' | 'public' | 'private' | 'unrouted';

export interface StreamRoute {
  category: StreamCategory;
  /** Stream mode (`/stream`): events are wrapped as {"stream","data"}; ws mode sends them raw. */
  combined: boolean;
  /** Streams named in the URL, subscribed at once. */
  streams: string[];
}

/**
 * What an upgrade to an unknown path gets. Binance's answer to one is not
 * documented nor reported for fstream (the research found none), so the
 * upgrade is refused the way a web server refuses an unknown path.
 */
export const UNKNOWN_PATH_STATUS = 404;

const ROUTE = /^(?:\/(market|public|private))?\/(ws|stream)(?:\/(.*))?$/;

/** A name that can be a stream (`btcusdt@kline_1m`, `!ticker@arr`): ccxt's `/ws/0` index segment is not one. */
export function looksLikeStream(name: string): boolean {
  return name.length > 0 && name.length <= 200 && (name.includes('@') || name.startsWith('!'));
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The route of an upgrade request's URL, or undefined for a path Binance does not serve. */
export function parseStreamRoute(requestUrl: string | undefined): StreamRoute | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl ?? '/', 'ws://simulator');
  } catch {
    return undefined;
  }
  const match = ROUTE.exec(url.pathname);
  if (!match) return undefined;
  const [, route, mode, rest] = match;
  const combined = mode === 'stream';
  // Stream mode takes its streams from ?streams=a/b and nothing after /stream.
  if (combined && rest) return undefined;
  const names = combined ? (url.searchParams.get('streams') ?? '').split('/') : (rest ?? '').split('/');
  return {
    category: (route as StreamCategory | undefined) ?? 'unrouted',
    combined,
    streams: names
      .map((name) => (combined ? name : decode(name)))
      .filter((name): name is string => name !== undefined && looksLikeStream(name)),
  };
}
