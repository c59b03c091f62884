/**
 * @module
 * A market the scanner can scan (what the exchange's listing says of it),
 * and what asking the exchange about it costs.
 */

/** A listed, trading, linear USDT-settled perpetual: its unified symbol (BTC/USDT:USDT) and the exchange's id (BTCUSDT). */
export interface PerpetualMarket {
  symbol: string;
  id: string;
}

/** Requests sent to the exchange, counted as they are sent: by the market client, and per activity. */
export interface RequestCounters {
  requests: number;
  weight: number;
  retries: number;
  /** Latest X-MBX-USED-WEIGHT-1M the exchange reported. */
  usedWeight: number;
}

/**
 * A USDT perpetual's name as its unified symbol without asking the exchange:
 * the exchange's id (BTCUSDT, 1000PEPEUSDT) becomes BTC/USDT:USDT; a unified
 * symbol is kept (upper-cased). For reading back what the scanner stored.
 */
export function unifiedPerpetualSymbol(name: string): string {
  const upper = name.trim().toUpperCase();
  const id = /^([A-Z0-9]+)USDT$/.exec(upper);
  return id ? `${id[1]}/USDT:USDT` : upper;
}
