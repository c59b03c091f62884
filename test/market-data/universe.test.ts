import { describe, expect, it } from 'vitest';
import { needsVolumes, selectUniverse, symbolResolver } from '../../src/market-data/universe.js';

const LISTING = [
  { symbol: 'BTC/USDT:USDT', id: 'BTCUSDT' },
  { symbol: 'ETH/USDT:USDT', id: 'ETHUSDT' },
  { symbol: 'SOL/USDT:USDT', id: 'SOLUSDT' },
  { symbol: 'PEPE/USDT:USDT', id: 'PEPEUSDT' },
];
const ALL = { include: [], exclude: [], minQuoteVolume: 0 };

/** The universe a cycle scans, chosen from a listing: pure, no exchange. */
describe('selectUniverse', () => {
  it('takes the whole listing by default, in its order', () => {
    expect(selectUniverse(LISTING, {}, ALL)).toEqual({ symbols: LISTING.map((p) => p.symbol), rejected: [] });
  });

  it('applies include, then exclude, with names in any of the exchange forms', () => {
    const filter = {
      include: ['btcusdt', 'ETH/USDT:USDT', ' SOLUSDT'],
      exclude: ['SOLUSDT'],
      minQuoteVolume: 0,
    };
    expect(selectUniverse(LISTING, {}, filter).symbols).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    expect(selectUniverse(LISTING, {}, { ...ALL, exclude: ['PEPE/USDT:USDT'] }).symbols).toHaveLength(3);
  });

  it('keeps the symbols whose 24h quote volume reaches the minimum (and none without a volume)', () => {
    const volumes = new Map([
      ['BTC/USDT:USDT', 5e9],
      ['ETH/USDT:USDT', 2e9],
      ['SOL/USDT:USDT', 4e8],
    ]);
    const filter = { ...ALL, minQuoteVolume: 1e9 };
    expect(selectUniverse(LISTING, {}, filter, volumes).symbols).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    expect(needsVolumes({}, filter)).toBe(true);
    expect(needsVolumes({}, ALL)).toBe(false);
  });

  it('resolves symbols asked for by name, rejects the unlisted with their reason, and drops duplicates', () => {
    const universe = selectUniverse(
      LISTING,
      { symbols: ['BTCUSDT', 'btc/usdt:usdt', 'NOPE', 'SOLUSDT'] },
      {
        include: ['ETHUSDT'], // a request by name is not filtered
        exclude: ['SOLUSDT'],
        minQuoteVolume: 1e12,
      },
    );
    expect(universe.symbols).toEqual(['BTC/USDT:USDT', 'SOL/USDT:USDT']);
    expect(universe.rejected).toEqual([
      { symbol: 'NOPE', reason: 'UnknownSymbolError: not an active USDT perpetual on the exchange' },
    ]);
    expect(needsVolumes({ symbols: ['BTCUSDT'] }, { ...ALL, minQuoteVolume: 1e9 })).toBe(false);
  });

  it('resolves unified symbols and exchange ids, case- and space-insensitively', () => {
    const resolve = symbolResolver(LISTING);
    expect(resolve('pepeusdt')).toBe('PEPE/USDT:USDT');
    expect(resolve(' Eth/Usdt:Usdt ')).toBe('ETH/USDT:USDT');
    expect(resolve('DOGEUSDT')).toBeUndefined();
  });
});
