/**
 * @module
 * The exchange as the scanner needs it, over one ccxt instance: the
 * perpetual universe, validated candles, 24h volumes, the exchange's clock.
 */
import type { MarketInterface } from 'ccxt';
import { validateCandles, type Ohlcv } from '../core/candles.js';
import { type ScannerError, UnknownSymbolError } from '../core/errors.js';
import type { PerpetualMarket, RequestCounters } from '../core/markets.js';
import type { Timeframe } from '../core/timeframes.js';
import type { BinanceUsdm } from './ccxt-factory.js';
import { mapExchangeError } from './error-mapping.js';
import { RateGate } from './rate-gate.js';
import type { WeightBudget } from './weight-budget.js';
import { DEFAULT_RETRY, type RetryPolicy, withRetries } from './retry.js';

/**
 * Binance's weight of a klines request (limit < 100: 1; < 500: 2; ≤ 1000: 5;
 * else 10). The simulator has its own copy on purpose: it may not import
 * the product.
 */
export function klinesWeight(limit: number): number {
  if (limit < 100) return 1;
  if (limit < 500) return 2;
  if (limit <= 1000) return 5;
  return 10;
}

/**
 * Reads response headers by name whatever their case: HTTP names are
 * case-insensitive, and ccxt hands them over as the transport spelled them
 * (`X-Mbx-Used-Weight-1m` from its undici path, lower case from others).
 */
export function headerReader(
  headers: Record<string, string> | undefined,
): (name: string) => string | undefined {
  const byName = new Map(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  return (name) => byName.get(name.toLowerCase());
}

export interface MarketClientOptions {
  /** Every request draws its weight from it first. */
  budget: WeightBudget;
  /** How often the exchange's clock is measured (EXCHANGE_CLOCK_CHECK_MS). */
  clockCheckMs: number;
  /** How old a listing may be before a cycle reloads it itself (0: always reload). */
  marketsMaxAgeMs: number;
  retry?: RetryPolicy;
  /** Told of every retry (the worker logs them). */
  onRetry?: (error: ScannerError, attempt: number) => void;
}

/**
 * Every request waits on a shared gate (no sending while the exchange asked
 * to wait), draws from the weight budget, is retried on temporary errors,
 * and has its errors translated into ours.
 */
export class MarketClient {
  readonly gate: RateGate;
  readonly counters: RequestCounters = { requests: 0, weight: 0, retries: 0, usedWeight: 0 };
  /** Time requests spent waiting for the shared weight budget (a metric: pacing shows here first). */
  budgetWaitMs = 0;
  private readonly retry: RetryPolicy;
  private readonly onRetry: ((error: ScannerError, attempt: number) => void) | undefined;
  private clockOffset = 0;
  private readonly clockCheckMs: number;
  private clockCheckedAt = -Infinity;
  private clockSync: Promise<void> | undefined;
  private readonly marketsMaxAgeMs: number;
  private listing: { at: number; perpetuals: Promise<PerpetualMarket[]> } | undefined;
  private marketsTimer: NodeJS.Timeout | undefined;
  private readonly listingListeners: Array<(perpetuals: PerpetualMarket[]) => void> = [];

  readonly budget: WeightBudget;

  constructor(
    readonly exchange: BinanceUsdm,
    options: MarketClientOptions,
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.onRetry = options.onRetry;
    this.clockCheckMs = options.clockCheckMs;
    this.marketsMaxAgeMs = options.marketsMaxAgeMs;
    this.gate = new RateGate();
    this.budget = options.budget;
    // ccxt's hook on every REST answer: read the weight header and Retry-After
    // (ccxt itself reads neither). Overriding it on the instance leaves ccxt unmodified.
    exchange.onRestResponse = (
      status: number,
      _text: string,
      _url: string,
      _method: string,
      headers: Record<string, string>,
      body: string,
    ) => {
      const header = headerReader(headers);
      const used = Number(header('x-mbx-used-weight-1m'));
      if (header('x-mbx-used-weight-1m') !== undefined && Number.isFinite(used)) {
        this.counters.usedWeight = used;
        this.budget.observeUsed(used);
      }
      if (status === 429 || status === 418) {
        const retryAfter = Number(header('retry-after'));
        const pauseMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 60_000;
        this.gate.pauseFor(pauseMs);
        this.budget.pauseFor?.(pauseMs);
      }
      return body.trim();
    };
  }

  /** Runs a request with retries, counting it here and in `share`, the caller's own counters (one activity's share). */
  private call<T>(operation: () => Promise<T>, weight: number, share?: RequestCounters): Promise<T> {
    return withRetries(
      async () => {
        const asked = Date.now();
        const spend = await this.budget.acquire(weight);
        this.budgetWaitMs += Date.now() - asked;
        for (const c of [this.counters, share]) {
          if (!c) continue;
          c.requests++;
          c.weight += weight;
        }
        try {
          return await operation();
        } catch (error) {
          throw mapExchangeError(error, this.gate.waitMs || 60_000);
        } finally {
          spend.settle();
        }
      },
      {
        gate: this.gate,
        policy: this.retry,
        onRetry: (error, attempt) => {
          this.counters.retries++;
          if (share) share.retries++;
          this.onRetry?.(error, attempt);
        },
      },
    );
  }

  /**
   * Active linear USDT-settled perpetuals (loadMarkets: one exchangeInfo
   * request, ~250 KB to parse). A listing younger than `marketsMaxAgeMs` is
   * reused, so that a cycle does not wait on it when keepMarketsFresh
   * reloads it in the background.
   */
  async perpetuals(): Promise<PerpetualMarket[]> {
    if (!this.listing || Date.now() - this.listing.at >= this.marketsMaxAgeMs) await this.reloadMarkets();
    return this.listing!.perpetuals;
  }

  /** Reloads the listing now (concurrent callers share one request); a failed reload is not kept. */
  private async reloadMarkets(): Promise<void> {
    const perpetuals = this.call(() => this.exchange.loadMarkets(true), 1).then((markets) =>
      Object.values(markets as Record<string, MarketInterface>)
        .filter(
          (m) =>
            m.active === true && m.swap && m.linear === true && m.quote === 'USDT' && m.settle === 'USDT',
        )
        .map((m) => ({ symbol: m.symbol, id: m.id! }))
        .sort((a, b) => a.symbol.localeCompare(b.symbol)),
    );
    const previous = this.listing;
    this.listing = { at: Date.now(), perpetuals };
    let listed: PerpetualMarket[];
    try {
      listed = await perpetuals;
    } catch (error) {
      if (this.listing.perpetuals === perpetuals) this.listing = previous;
      throw error;
    }
    for (const listener of this.listingListeners) listener(listed);
  }

  /** Calls `listener` with every listing loaded from now on (the worker's streams follow new listings this way). */
  onListing(listener: (perpetuals: PerpetualMarket[]) => void): void {
    this.listingListeners.push(listener);
  }

  /**
   * Reloads the listing every `intervalMs` in the background (failures are
   * left for the next cycle to meet and report), so cycles find it fresh.
   */
  keepMarketsFresh(intervalMs: number): void {
    clearInterval(this.marketsTimer);
    this.marketsTimer = setInterval(() => void this.reloadMarkets().catch(() => {}), intervalMs);
    this.marketsTimer.unref();
  }

  /**
   * Now, by the exchange's clock (candle closes are the exchange's, not
   * ours). The offset is measured with /time (weight 1) every few minutes,
   * taking the middle of the round trip.
   */
  async serverNow(): Promise<number> {
    if (Date.now() - this.clockCheckedAt > this.clockCheckMs) {
      // One measurement at a time, however many series ask at once.
      this.clockSync ??= this.measureClock().finally(() => (this.clockSync = undefined));
      await this.clockSync;
    }
    return this.estimatedServerNow();
  }

  /** The exchange's clock as last measured, without waiting on a measurement. */
  estimatedServerNow(): number {
    return Date.now() + this.clockOffset;
  }

  private async measureClock(): Promise<void> {
    const sent = Date.now();
    const serverTime = await this.call(() => this.exchange.fetchTime(), 1);
    const received = Date.now();
    if (typeof serverTime === 'number') this.clockOffset = serverTime - (sent + received) / 2;
    this.clockCheckedAt = received;
  }

  /** 24h quote volume per symbol (one weight-40 request for all). */
  async quoteVolumes(): Promise<Map<string, number>> {
    const tickers = await this.call(() => this.exchange.fetchTickers(), 40);
    return new Map(Object.values(tickers).map((t) => [t.symbol ?? '', t.quoteVolume ?? 0]));
  }

  /** The latest `limit` candles (the last one still forming), validated. */
  async candles(
    symbol: string,
    timeframe: Timeframe,
    limit: number,
    counters?: RequestCounters,
  ): Promise<Ohlcv[]> {
    if (this.exchange.markets && !this.exchange.markets[symbol])
      throw new UnknownSymbolError(`${symbol} is not listed`);
    return this.call(
      async () => {
        const rows = await this.exchange.fetchOHLCV(symbol, timeframe, undefined, limit);
        return validateCandles(symbol, timeframe, rows);
      },
      klinesWeight(limit),
      counters,
    );
  }

  async close(): Promise<void> {
    clearInterval(this.marketsTimer);
    await this.exchange.close();
  }
}
