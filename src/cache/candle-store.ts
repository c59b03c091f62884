import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import KeyvRedis from '@keyv/redis';
import type { RedisClientType } from '@redis/client';
import { CacheableMemory, Keyv } from 'cacheable';
import type { Ohlcv } from '../market-data/validate-candles.js';
import type { Timeframe } from '../scan/types.js';
import { candleKey, candleKeyPrefix } from './keys.js';
import { packCandles, unpackCandles } from './packed-candles.js';

export type CacheTier = 'l1' | 'l2';

/** L1 entries outlive any freshness window; the pipeline decides freshness by candle close. */
const L1_TTL_MS = 6 * 3_600_000;

export interface StoreCounters {
  l1Hits: number;
  l2Hits: number;
  misses: number;
  /** L2 operations that failed (Redis away): the store ran on memory alone. */
  l2Errors: number;
}

/**
 * Closed-candle series in two tiers: L1 an in-process LRU (cacheable's
 * CacheableMemory), L2 Redis through Keyv, so a restarted worker starts warm.
 * The tiers are driven here rather than through cacheable's layered class,
 * to count hits per tier and to keep going on L1 alone when Redis is away. Values are compact
 * (one Float64Array per series in L1, arrays of arrays as JSON in L2) and expire on their own. When Redis is away the store
 * keeps working on L1 and says so (`degraded`); it recovers by itself when
 * Redis returns.
 */
export class CandleStore {
  private readonly l1: CacheableMemory;
  private readonly l2: Keyv<Ohlcv[]>;
  readonly counters: StoreCounters = { l1Hits: 0, l2Hits: 0, misses: 0, l2Errors: 0 };
  private lastL2Error = 0;

  constructor(
    private readonly redis: RedisClientType,
    private readonly exchangeId: string,
    options: { l1Size?: number } = {},
  ) {
    this.l1 = new CacheableMemory({ lruSize: options.l1Size ?? 20_000, useClone: false });
    this.l2 = new Keyv<Ohlcv[]>({
      store: new KeyvRedis(redis, { throwOnErrors: true, throwOnConnectError: false }),
      // Keys are complete as keys.ts builds them: no Keyv namespace in front.
      namespace: '',
      useKeyPrefix: false,
      throwOnErrors: true,
      // Plain JSON: Keyv's default serializer walks every value for Buffers
      // and costs ~0.12 ms per series (196 ms of a cold cycle's CPU, profiled).
      serialize: JSON.stringify,
      deserialize: JSON.parse,
    });
  }

  /** True while the last L2 failure is recent (30 s) or Redis is not connected. */
  get degraded(): boolean {
    return !this.redis.isReady || Date.now() - this.lastL2Error < 30_000;
  }

  async get(
    symbol: string,
    timeframe: Timeframe,
  ): Promise<{ candles: Ohlcv[]; tier: CacheTier } | undefined> {
    const key = candleKey(this.exchangeId, symbol, timeframe);
    const local = this.l1.get<Float64Array>(key);
    if (local) {
      this.counters.l1Hits++;
      return { candles: unpackCandles(local), tier: 'l1' };
    }
    if (this.redis.isReady) {
      try {
        const shared = await this.l2.get(key);
        if (shared) {
          this.counters.l2Hits++;
          this.l1.set(key, packCandles(shared), L1_TTL_MS);
          return { candles: shared, tier: 'l2' };
        }
      } catch {
        this.l2Failed();
      }
    }
    this.counters.misses++;
    return undefined;
  }

  async set(symbol: string, timeframe: Timeframe, candles: Ohlcv[], ttlMs: number): Promise<void> {
    const key = candleKey(this.exchangeId, symbol, timeframe);
    this.l1.set(key, packCandles(candles), Math.min(ttlMs, L1_TTL_MS));
    if (!this.redis.isReady) return this.l2Failed();
    try {
      await this.l2.set(key, candles, ttlMs);
    } catch {
      this.l2Failed();
    }
  }

  /**
   * Loads every series L2 holds for this exchange into L1, so that a
   * restarted worker's first cycle answers from memory as a warm one does.
   * Returns how many series it loaded; with Redis away (after waiting
   * `connectWaitMs` for it) it loads none and cycles read through as usual.
   */
  async prewarm(connectWaitMs = 3_000): Promise<number> {
    // At a worker's start the connection is still being made.
    if (!this.redis.isReady) {
      const ready = once(this.redis, 'ready').catch(() => {});
      await Promise.race([ready, sleep(connectWaitMs)]);
    }
    if (!this.redis.isReady) return 0;
    let loaded = 0;
    try {
      for await (const keys of this.redis.scanIterator({
        MATCH: `${candleKeyPrefix(this.exchangeId)}:*`,
        COUNT: 1_000,
      })) {
        const values = await this.l2.getMany(keys);
        keys.forEach((key, i) => {
          const candles = values[i];
          if (!candles) return;
          this.l1.set(key, packCandles(candles), L1_TTL_MS);
          loaded++;
        });
      }
    } catch {
      this.l2Failed();
    }
    return loaded;
  }

  private l2Failed(): void {
    this.counters.l2Errors++;
    this.lastL2Error = Date.now();
  }
}
