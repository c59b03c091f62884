/**
 * @module
 * How Binance writes a symbol's numbers, in one place for REST and streams:
 * prices on the symbol's tick, with `pricePrecision` decimals (BTCUSDT's
 * tick is 0.10, written "83896.40"); quantities with `quantityPrecision`;
 * quote volumes with both together ("9615538.66780": 2 + 3), as recorded
 * payloads from the exchange show (test/fixtures/binance).
 */
import type { ListedSymbol } from './universe.js';

export function priceText(symbol: ListedSymbol, value: number): string {
  return Number(value.toFixed(symbol.tickDecimals)).toFixed(symbol.pricePrecision);
}

export function quantityText(symbol: ListedSymbol, steps: number): string {
  return (steps * 10 ** -symbol.quantityPrecision).toFixed(symbol.quantityPrecision);
}

export function quoteVolumeText(symbol: ListedSymbol, value: number): string {
  return value.toFixed(symbol.pricePrecision + symbol.quantityPrecision);
}
