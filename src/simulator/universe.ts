import { hashString, sequence } from './rng.js';

/** One listed contract, with the parameters its price path is drawn from. */
export interface ListedSymbol {
  /** Exchange id, e.g. BTCUSDT. */
  id: string;
  base: string;
  quote: 'USDT' | 'USDC';
  contractType: 'PERPETUAL' | 'CURRENT_QUARTER';
  deliveryDate: number;
  onboardDate: number;
  /** TRADING for live contracts; SETTLING for ones being delisted. */
  status: 'TRADING' | 'SETTLING';
  /** Long-run price level the path reverts to. */
  refPrice: number;
  /** Typical quote volume per day, in USDT. */
  dailyQuoteVolume: number;
  /** Standard deviation of one-minute log returns in a calm regime. */
  minuteVol: number;
  /** Sensitivity to the common market factor. */
  beta: number;
  /** Decimals the prices are written with (Binance: at least 2 on USDⓈ-M, even where the tick is 0.1). */
  pricePrecision: number;
  /** Decimals of the tick: prices move by 10^-tickDecimals. */
  tickDecimals: number;
  quantityPrecision: number;
  tickSize: string;
  stepSize: string;
  /** Integer seed of this symbol's path: independent of the universe's size. */
  pathSeed: number;
}

/** Every path starts here, so a candle's value never depends on when the simulator was started. */
export const GENESIS_MS = Date.UTC(2023, 0, 1);
const DAY_MS = 86_400_000;
const PERPETUAL_DELIVERY = 4133404800000; // what Binance reports for perpetuals (2100-12-25)

/** Real-looking leaders: [base, reference price, daily quote volume in USDT]. */
const LEADERS: ReadonlyArray<readonly [string, number, number]> = [
  ['BTC', 95000, 15e9],
  ['ETH', 3400, 8e9],
  ['SOL', 180, 3e9],
  ['XRP', 2.3, 2e9],
  ['BNB', 650, 8e8],
  ['DOGE', 0.32, 1.5e9],
  ['SUI', 4, 6e8],
  ['ADA', 0.9, 6e8],
  ['LINK', 20, 5e8],
  ['AVAX', 35, 4e8],
  ['LTC', 100, 3e8],
  ['1000PEPE', 0.02, 7e8],
  ['WIF', 2.5, 3e8],
  ['TRX', 0.25, 2e8],
  ['BCH', 450, 2e8],
  ['DOT', 7, 2e8],
  ['NEAR', 5, 2e8],
  ['ARB', 0.8, 2e8],
  ['ENA', 0.9, 3e8],
  ['AAVE', 300, 2.5e8],
  ['UNI', 12, 1.5e8],
  ['APT', 9, 1.5e8],
  ['OP', 2, 1.5e8],
  ['TON', 5.5, 1.2e8],
  ['HBAR', 0.28, 1.2e8],
  ['1000SHIB', 0.022, 1.2e8],
  ['1000BONK', 0.03, 1.5e8],
  ['FET', 1.3, 1.2e8],
  ['TAO', 450, 1.5e8],
  ['ONDO', 1.2, 1e8],
  ['INJ', 25, 1e8],
  ['ATOM', 7, 1e8],
  ['ETC', 26, 1e8],
  ['FIL', 5, 1e8],
  ['XLM', 0.4, 1e8],
  ['RENDER', 7, 9e7],
  ['TIA', 6, 9e7],
  ['SEI', 0.45, 9e7],
  ['WLD', 2.5, 1.2e8],
  ['ORDI', 35, 9e7],
  ['JUP', 1, 8e7],
  ['LDO', 1.8, 8e7],
  ['CRV', 0.9, 8e7],
  ['ICP', 10, 7e7],
  ['POL', 0.5, 7e7],
  ['RUNE', 5, 6e7],
  ['STX', 2, 6e7],
  ['IMX', 1.5, 5e7],
  ['DYDX', 1.5, 5e7],
  ['PYTH', 0.4, 5e7],
  ['GALA', 0.04, 5e7],
  ['SAND', 0.6, 5e7],
  ['MANA', 0.5, 4e7],
  ['AXS', 7, 4e7],
  ['ALGO', 0.4, 4e7],
  ['EGLD', 35, 3e7],
  ['THETA', 2, 3e7],
  ['KAS', 0.13, 4e7],
  ['GMX', 25, 2e7],
];

const SYLLABLES = [
  'ZA',
  'KO',
  'RI',
  'NU',
  'VE',
  'LO',
  'XA',
  'MI',
  'TOR',
  'QUA',
  'BEX',
  'DRA',
  'FY',
  'GU',
  'PHI',
  'SOL',
  'TEK',
  'VYN',
  'WO',
  'YX',
  'JET',
  'HAL',
  'CRO',
  'NEO',
];

/** Decimal places of a tick about 1e-4 of the price, as Binance lists them. */
function precisionFor(price: number): number {
  return Math.min(8, Math.max(1, Math.ceil(4 - Math.log10(price))));
}

function decimalStep(decimals: number): string {
  return decimals <= 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`;
}

function makeSymbol(
  seedText: string,
  base: string,
  quote: ListedSymbol['quote'],
  refPrice: number,
  dailyQuoteVolume: number,
  onboardDate: number,
  overrides: Partial<ListedSymbol> = {},
): ListedSymbol {
  const delivery = overrides.deliveryDate;
  const id =
    delivery === undefined
      ? `${base}${quote}`
      : `${base}${quote}_${new Date(delivery).toISOString().slice(2, 10).replaceAll('-', '')}`;
  const pathSeed = hashString(`${seedText}/${id}`);
  const rand = sequence(pathSeed);
  const tickDecimals = precisionFor(refPrice);
  const pricePrecision = Math.max(2, tickDecimals);
  const quantityPrecision = Math.max(0, Math.min(3, Math.floor(Math.log10(refPrice)) + 1));
  const leader = dailyQuoteVolume >= 1e9;
  return {
    id,
    base,
    quote,
    contractType: 'PERPETUAL',
    deliveryDate: PERPETUAL_DELIVERY,
    onboardDate,
    status: 'TRADING',
    refPrice,
    dailyQuoteVolume,
    minuteVol: (leader ? 0.0006 : 0.0008) * (0.8 + rand() * 0.9),
    beta: base === 'BTC' ? 1 : 0.6 + rand() * 0.8,
    pricePrecision,
    tickDecimals,
    quantityPrecision,
    // The tick written with the price's decimals, as exchangeInfo lists it ("0.10").
    tickSize: (10 ** -tickDecimals).toFixed(pricePrecision),
    stepSize: decimalStep(quantityPrecision),
    pathSeed,
    ...overrides,
  };
}

/**
 * The listed universe: `count` active USDT perpetuals (leaders first, then
 * generated names), plus a few contracts a scanner must filter out: two USDC
 * perpetuals, a quarterly future and two perpetuals in SETTLING.
 */
export function buildUniverse(seed: string, count: number): ListedSymbol[] {
  const rand = sequence(hashString(`universe/${seed}`));
  const symbols: ListedSymbol[] = [];
  const taken = new Set<string>();
  for (const [base, price, volume] of LEADERS.slice(0, count)) {
    symbols.push(makeSymbol(seed, base, 'USDT', price, volume, GENESIS_MS));
    taken.add(base);
  }
  while (symbols.length < count) {
    const parts = 1 + Math.floor(rand() * 2) + (rand() < 0.3 ? 1 : 0);
    let base = '';
    for (let i = 0; i < parts; i++) base += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    if (base.length < 3 || base.length > 9 || taken.has(base)) continue;
    taken.add(base);
    const price = 10 ** (-3 + rand() * 5.7); // 0.001 .. 500
    const volume = 10 ** (6.3 + rand() * 2.3); // 2M .. 400M USDT a day
    const onboard = GENESIS_MS + Math.floor(rand() * 150) * DAY_MS;
    symbols.push(makeSymbol(seed, base, 'USDT', price, volume, onboard));
  }
  const quarterEnd = Date.UTC(2099, 2, 27, 8); // far away, so that the clock never expires it
  symbols.push(
    makeSymbol(seed, 'BTC', 'USDC', 95000, 6e8, GENESIS_MS),
    makeSymbol(seed, 'ETH', 'USDC', 3400, 3e8, GENESIS_MS),
    makeSymbol(seed, 'BTC', 'USDT', 96000, 2e8, GENESIS_MS, {
      contractType: 'CURRENT_QUARTER',
      deliveryDate: quarterEnd,
    }),
    makeSymbol(seed, 'OLDLUNA', 'USDT', 0.5, 3e6, GENESIS_MS, { status: 'SETTLING' }),
    makeSymbol(seed, 'OLDFTT', 'USDT', 1.2, 3e6, GENESIS_MS, { status: 'SETTLING' }),
  );
  return symbols;
}
