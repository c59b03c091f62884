import {
  INTERVALS,
  type Interval,
  MINUTE_MS,
  nextOpenTime,
  openTimeOf,
  previousOpenTime,
} from './intervals.js';
import { Lru } from './lru.js';
import {
  BLOCK_MINUTES,
  CLOSE,
  COLUMNS,
  HIGH,
  LOW,
  OPEN,
  PricePath,
  TAKER_BUY,
  VOLUME,
} from './price-path.js';
import { hashString } from './rng.js';
import type { ListedSymbol } from './universe.js';

const INTERVAL_INDEX = Object.fromEntries(INTERVALS.map((interval, i) => [interval, i])) as Record<
  Interval,
  number
>;

/** One candle, numbers unrounded except volumes (whole quantity steps). */
/** Quote volume of an average trade: a minute's trades are its quote volume over this. */
const TRADE_QUOTE = 450;
/** Trade ids given to each minute (more than any minute trades), so ids never repeat across candles. */
const TRADE_IDS_PER_MINUTE = 1_000_000;

export interface Candle {
  openTime: number;
  /** Last millisecond of the candle, as Binance reports it. */
  closeTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volumeSteps: number;
  takerBuySteps: number;
  quoteVolume: number;
  takerBuyQuote: number;
  trades: number;
  firstTradeId: number;
  lastTradeId: number;
  /** True once the candle's close time has passed. */
  closed: boolean;
  /** The candle's REST row as JSON, kept with a closed candle so that repeated answers skip formatting. */
  row?: string;
}

export interface KlineQuery {
  startTime?: number | undefined;
  endTime?: number | undefined;
  limit: number;
}

/**
 * Candles of every interval for every listed symbol, as a pure function of
 * (seed, symbol, interval, open time, now). A candle aggregates the
 * one-minute bars inside it, so every interval agrees with every other; the
 * candle still forming at `now` aggregates the minutes so far plus a growing
 * share of the current minute (high only rises, low only falls).
 */
export class MarketModel {
  private readonly paths = new Map<string, { path: PricePath; index: number }>();
  private readonly blocks: Lru<string, Float64Array>;
  /** Closed candles never change: keep them, so a repeated request costs a lookup. */
  private readonly closedCandles: Lru<number, Candle>;

  constructor(
    seed: string,
    symbols: readonly ListedSymbol[],
    options: { blockCacheSize?: number; candleCacheSize?: number } = {},
  ) {
    const marketSeed = hashString(`market/${seed}`);
    symbols.forEach((symbol, index) =>
      this.paths.set(symbol.id, { path: new PricePath(symbol, marketSeed), index }),
    );
    this.blocks = new Lru(options.blockCacheSize ?? 8192);
    this.closedCandles = new Lru(options.candleCacheSize ?? 600_000);
  }

  private entry(symbolId: string): { path: PricePath; index: number } {
    const entry = this.paths.get(symbolId);
    if (!entry) throw new Error(`unknown symbol ${symbolId}`);
    return entry;
  }

  private path(symbolId: string): PricePath {
    return this.entry(symbolId).path;
  }

  /** The bar tables of blocks first..last, generating the missing ones in one pass. */
  private bars(path: PricePath, first: number, last: number): Float64Array[] {
    const tables: Array<Float64Array | undefined> = [];
    let missingFrom = -1;
    for (let b = first; b <= last; b++) {
      const table = this.blocks.get(`${path.symbol.id}:${b}`);
      if (!table && missingFrom < 0) missingFrom = b;
      tables.push(table);
    }
    if (missingFrom >= 0) {
      const plans = path.plans(missingFrom, last);
      for (let b = missingFrom; b <= last; b++) {
        if (tables[b - first]) continue;
        const table = path.bars(b, plans[b - missingFrom]!);
        this.blocks.set(`${path.symbol.id}:${b}`, table);
        tables[b - first] = table;
      }
    }
    return tables as Float64Array[];
  }

  /** Aggregates the path over [from, to) (ms, minute-aligned from); a partial last minute counts in proportion. */
  private aggregate(path: PricePath, from: number, to: number, closeTime: number, closed: boolean): Candle {
    let open = NaN;
    let high = -Infinity;
    let low = Infinity;
    let close = NaN;
    let volumeSteps = 0;
    let takerBuySteps = 0;
    let quoteVolume = 0;
    let takerBuyQuote = 0;
    let trades = 0;
    let firstTradeId = -1;
    let lastTradeId = -1;
    const stepSize = 10 ** -path.symbol.quantityPrecision;
    const firstBlock = PricePath.blockOf(from);
    const tables = this.bars(path, firstBlock, PricePath.blockOf(to - 1));
    for (let t = from; t < to;) {
      const block = PricePath.blockOf(t);
      const blockStart = PricePath.blockStartMs(block);
      const bars = tables[block - firstBlock]!;
      const last = Math.min(BLOCK_MINUTES, Math.ceil((to - blockStart) / MINUTE_MS));
      for (let k = (t - blockStart) / MINUTE_MS; k < last; k++) {
        const row = k * COLUMNS;
        const o = bars[row + OPEN]!;
        // Share of this minute that has happened: 1 except for the minute in progress.
        const f = Math.min(1, (to - (blockStart + k * MINUTE_MS)) / MINUTE_MS);
        const h = o + (bars[row + HIGH]! - o) * f;
        const l = o - (o - bars[row + LOW]!) * f;
        const c = o + (bars[row + CLOSE]! - o) * f;
        const v = f === 1 ? bars[row + VOLUME]! : Math.floor(bars[row + VOLUME]! * f);
        const vb = f === 1 ? bars[row + TAKER_BUY]! : Math.floor(bars[row + TAKER_BUY]! * f);
        if (Number.isNaN(open)) open = o;
        if (h > high) high = h;
        if (l < low) low = l;
        close = c;
        volumeSteps += v;
        takerBuySteps += vb;
        const typical = (o + h + l + c) / 4;
        quoteVolume += v * stepSize * typical;
        takerBuyQuote += vb * stepSize * typical;
        // Trades are counted per minute (a whole number each), so that an interval's count is
        // its minutes' sum; ids run per minute, so a later candle's ids are always higher.
        const full =
          bars[row + VOLUME]! *
          stepSize *
          ((o + bars[row + HIGH]! + bars[row + LOW]! + bars[row + CLOSE]!) / 4);
        const minuteTrades = Math.max(1, Math.round(full / TRADE_QUOTE));
        const happened = f === 1 ? minuteTrades : Math.floor(minuteTrades * f);
        if (happened > 0) {
          const minute = (blockStart + k * MINUTE_MS) / MINUTE_MS;
          if (firstTradeId < 0) firstTradeId = minute * TRADE_IDS_PER_MINUTE;
          lastTradeId = minute * TRADE_IDS_PER_MINUTE + happened - 1;
          trades += happened;
        }
      }
      t = blockStart + BLOCK_MINUTES * MINUTE_MS;
    }
    return {
      openTime: from,
      closeTime,
      closed,
      open,
      high,
      low,
      close,
      volumeSteps,
      takerBuySteps,
      quoteVolume,
      takerBuyQuote,
      trades,
      firstTradeId,
      lastTradeId,
    };
  }

  /** The candle opening at `openTime`, or undefined when it has not opened yet or predates the listing. */
  candle(symbolId: string, interval: Interval, openTime: number, now: number): Candle | undefined {
    const { path, index } = this.entry(symbolId);
    if (openTime > now || openTime < openTimeOf(interval, path.symbol.onboardDate)) return undefined;
    const key = this.key(index, interval, openTime);
    const cached = this.closedCandles.get(key);
    if (cached) return cached;
    const next = nextOpenTime(interval, openTime);
    const from = Math.max(openTime, path.symbol.onboardDate);
    const to = Math.min(next, now);
    if (to <= from) return undefined;
    const candle = this.aggregate(path, from, to, next - 1, next <= now);
    candle.openTime = openTime;
    if (candle.closed) this.closedCandles.set(key, candle);
    return candle;
  }

  /**
   * Binance's selection: from startTime forward, or back from endTime (or
   * now), at most `limit` candles, oldest first, the forming one included.
   */
  klines(symbolId: string, interval: Interval, query: KlineQuery, now: number): Candle[] {
    const path = this.path(symbolId);
    const first = openTimeOf(interval, path.symbol.onboardDate);
    const latest = openTimeOf(interval, Math.min(now, query.endTime ?? now));
    const candles: Candle[] = [];
    // Generate the blocks the uncached part of the answer needs in one pass
    // (each block of a path starts from its predecessor's state).
    this.prefetch(symbolId, interval, query, first, latest, now);
    if (query.startTime !== undefined) {
      let t = Math.max(first, openTimeOf(interval, query.startTime));
      if (t < query.startTime) t = nextOpenTime(interval, t);
      for (; t <= latest && candles.length < query.limit; t = nextOpenTime(interval, t)) {
        const candle = this.candle(symbolId, interval, t, now);
        if (candle) candles.push(candle);
      }
      return candles;
    }
    for (let t = latest; t >= first && candles.length < query.limit; t = previousOpenTime(interval, t)) {
      const candle = this.candle(symbolId, interval, t, now);
      if (candle) candles.push(candle);
    }
    return candles.reverse();
  }

  private prefetch(
    symbolId: string,
    interval: Interval,
    query: KlineQuery,
    first: number,
    latest: number,
    now: number,
  ): void {
    const { path, index } = this.entry(symbolId);
    let from = query.startTime ?? latest;
    if (query.startTime === undefined) {
      for (let n = 1; n < query.limit && from > first; n++) from = previousOpenTime(interval, from);
    }
    from = Math.max(from, first);
    // Skip the leading candles already cached.
    while (from < latest && this.closedCandles.get(this.key(index, interval, from)))
      from = nextOpenTime(interval, from);
    const to = Math.min(now, nextOpenTime(interval, latest));
    if (to > from) this.bars(path, PricePath.blockOf(from), PricePath.blockOf(to - 1));
  }

  private key(symbolIndex: number, interval: Interval, openTime: number): number {
    return (openTime / MINUTE_MS) * 2 ** 16 + INTERVAL_INDEX[interval] * 2 ** 12 + symbolIndex;
  }

  /** Rolling statistics over [from, now), for the 24h ticker. */
  window(symbolId: string, from: number, now: number): Candle {
    const path = this.path(symbolId);
    const start = Math.max(Math.ceil(from / MINUTE_MS) * MINUTE_MS, path.symbol.onboardDate);
    return this.aggregate(path, start, now, now, false);
  }
}
