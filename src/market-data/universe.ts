/**
 * @module
 * The universe a cycle scans, chosen from the exchange's listing: pure, so
 * that the rules of the choice are tested on their own. The listing itself
 * (and its 24h volumes) is I/O, done by the caller.
 */
import type { PerpetualMarket } from '../core/markets.js';
import type { SymbolFailure, Universe, UniverseRequest } from '../contract/types.js';

/** The configured filter over the whole listing (SCAN_INCLUDE, SCAN_EXCLUDE, SCAN_MIN_QUOTE_VOLUME). */
export interface UniverseFilter {
  include: string[];
  exclude: string[];
  minQuoteVolume: number;
}

/** Normalizes BTCUSDT, btcusdt or BTC/USDT:USDT to the unified symbol, if listed. */
export function symbolResolver(perpetuals: readonly PerpetualMarket[]): (name: string) => string | undefined {
  const bySymbol = new Map<string, string>();
  for (const p of perpetuals) {
    bySymbol.set(p.symbol.toUpperCase(), p.symbol);
    bySymbol.set(p.id.toUpperCase(), p.symbol);
  }
  return (name: string) => bySymbol.get(name.trim().toUpperCase());
}

/** Whether choosing this universe needs the 24h volumes (a weight-40 request). */
export function needsVolumes(request: UniverseRequest, filter: UniverseFilter): boolean {
  return !request.symbols?.length && filter.minQuoteVolume > 0;
}

/**
 * Symbols asked for by name are resolved against the listing (each one not
 * listed is rejected with its reason); otherwise the whole listing, through
 * include, exclude and the minimum 24h quote volume (`volumes`, when
 * needsVolumes says so). Listing order; no duplicates.
 */
export function selectUniverse(
  perpetuals: readonly PerpetualMarket[],
  request: UniverseRequest,
  filter: UniverseFilter,
  volumes?: ReadonlyMap<string, number>,
): Universe {
  const resolve = symbolResolver(perpetuals);
  if (request.symbols && request.symbols.length > 0) {
    const symbols: string[] = [];
    const rejected: SymbolFailure[] = [];
    for (const name of request.symbols) {
      const symbol = resolve(name);
      if (symbol) symbols.push(symbol);
      else
        rejected.push({
          symbol: name,
          reason: 'UnknownSymbolError: not an active USDT perpetual on the exchange',
        });
    }
    return { symbols: [...new Set(symbols)], rejected };
  }
  const include = new Set(filter.include.map((s) => resolve(s) ?? s));
  const exclude = new Set(filter.exclude.map((s) => resolve(s) ?? s));
  const symbols = perpetuals
    .map((p) => p.symbol)
    .filter((s) => (include.size === 0 || include.has(s)) && !exclude.has(s))
    .filter((s) => filter.minQuoteVolume <= 0 || (volumes?.get(s) ?? 0) >= filter.minQuoteVolume);
  return { symbols, rejected: [] };
}
