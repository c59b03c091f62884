/**
 * @module
 * What Binance's USDⓈ-M documentation enumerates, as the tests that hold the
 * simulator to the exchange read it: written from Binance's pages ("Kline
 * Intervals", "Contract Status", "Contract Type", "Kline/Candlestick
 * Streams"), never from the simulator's own lists, so that a difference
 * between the two fails a test.
 */

export const KLINE_INTERVALS = [
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '8h',
  '12h',
  '1d',
  '3d',
  '1w',
  '1M',
];

/** exchangeInfo's contract "status". */
export const CONTRACT_STATUSES = [
  'PENDING_TRADING',
  'TRADING',
  'PRE_DELIVERING',
  'DELIVERING',
  'DELIVERED',
  'PRE_SETTLE',
  'SETTLING',
  'CLOSE',
];

/** exchangeInfo's "contractType", as documented, plus TRADIFI_PERPETUAL as recorded. */
export const CONTRACT_TYPES = [
  'PERPETUAL',
  'CURRENT_MONTH',
  'NEXT_MONTH',
  'CURRENT_QUARTER',
  'NEXT_QUARTER',
  'PERPETUAL_DELIVERING',
  'TRADIFI_PERPETUAL',
];

/** A kline stream's event, every field Binance documents. */
export interface KlineEvent {
  e: string;
  E: number;
  s: string;
  k: {
    t: number;
    T: number;
    s: string;
    i: string;
    f: number;
    L: number;
    o: string;
    c: string;
    h: string;
    l: string;
    v: string;
    n: number;
    x: boolean;
    q: string;
    V: string;
    Q: string;
    B: string;
  };
}
