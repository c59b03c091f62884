/**
 * @module
 * Closed-candle series in two tiers: L1 an in-process LRU (cacheable's
 * CacheableMemory), L2 Redis through Keyv, so a restarted worker starts warm.
 * The tiers are driven here rather than through cacheable's layered class,
 * to say which tier answered and to keep going on L1 alone when Redis is
 * away. Values are compact (one Float64Array per series in L1, the same
 * bytes in base64 in L2: packed-candles.ts) and expire on their own. When Redis is away the
 * store keeps working on L1 and says so (`degraded`); it recovers by itself
 * when Redis returns.
 */
import KeyvRedis from '@keyv/redis';
import type { RedisClientType } from '@redis/client';
import { CacheableMemory, Keyv } from 'cacheable';
import type { Ohlcv } from '../core/candles.js';
import type { Timeframe } from '../core/timeframes.js';
import { candleKey, candleKeyPrefix } from './redis-keys.js';
import { decodePacked, encodePacked, packCandles, PackedSeries, unpackCandles } from './packed-candles.js';
import { whenRedisReady } from './redis-connection.js';

export type StoreTier = 'l1' | 'l2';

/** A series as the store answers it, with the tier that held it: its candles unpacked on first read. */
export class StoredCandles extends PackedSeries {
  constructor(
    packed: Float64Array,
    readonly tier: StoreTier,
  ) {
    super(packed);
  }
}

/** L1 entries outlive any freshness window; the pipeline decides freshness by candle close. */
const L1_TTL_MS = 6 * 3_600_000;

type Envelope = { value?: Float64Array; expires?: number | null };

/**
 * Keyv's envelope as `expires:base64-of-the-series`. Keyv's own serializer
 * walks every value looking for Buffers, and JSON every number: both were
 * costs per series in a cold cycle's CPU profile.
 */
const packedSerializer = {
  serialize: (data: Envelope) => `${data.expires ?? ''}:${encodePacked(data.value!)}`,
  deserialize: (text: string): Envelope => {
    const colon = text.indexOf(':');
    return {
      value: decodePacked(text.slice(colon + 1)),
      expires: colon > 0 ? Number(text.slice(0, colon)) : undefined,
    };
  },
};

export class CandleStore {
  private readonly l1: CacheableMemory;
  private readonly l2: Keyv<Float64Array>;
  /** L2 operations that failed (Redis away): the store ran on memory alone for them. */
  private failures = 0;
  private lastL2Error = 0;

  constructor(
    private readonly redis: RedisClientType,
    private readonly exchangeId: string,
    options: { l1Size: number },
  ) {
    // One Map: cacheable hashes every key to pick one of 16 by default, a cost per read in a cycle's profile.
    this.l1 = new CacheableMemory({ lruSize: options.l1Size, useClone: false, storeHashSize: 1 });
    this.l2 = new Keyv<Float64Array>({
      store: new KeyvRedis(redis, { throwOnErrors: true, throwOnConnectError: false }),
      // Keys are complete as keys.ts builds them: no Keyv namespace in front.
      namespace: '',
      useKeyPrefix: false,
      throwOnErrors: true,
      serialize: packedSerializer.serialize as never,
      deserialize: packedSerializer.deserialize as never,
    });
  }

  /** How many L2 operations have failed so far (compare before and after a piece of work). */
  get l2Errors(): number {
    return this.failures;
  }

  /** True while the last L2 failure is recent (30 s) or Redis is not connected. */
  get degraded(): boolean {
    return !this.redis.isReady || Date.now() - this.lastL2Error < 30_000;
  }

  async get(symbol: string, timeframe: Timeframe): Promise<StoredCandles | undefined> {
    const key = candleKey(this.exchangeId, symbol, timeframe);
    const local = this.l1.get<Float64Array>(key);
    if (local) return new StoredCandles(local, 'l1');
    if (this.redis.isReady) {
      try {
        const shared = await this.l2.get(key);
        if (shared) {
          this.l1.set(key, shared, L1_TTL_MS);
          return new StoredCandles(shared, 'l2');
        }
      } catch {
        this.l2Failed();
      }
    }
    return undefined;
  }

  /** What Redis holds now, as every worker sees it (a reader in another process: the dashboard); L1 untouched. */
  async shared(symbol: string, timeframe: Timeframe): Promise<Ohlcv[] | undefined> {
    if (!this.redis.isReady) return undefined;
    try {
      const shared = await this.l2.get(candleKey(this.exchangeId, symbol, timeframe));
      return shared ? unpackCandles(shared) : undefined;
    } catch {
      this.l2Failed();
      return undefined;
    }
  }

  async set(symbol: string, timeframe: Timeframe, candles: Ohlcv[], ttlMs: number): Promise<void> {
    const key = candleKey(this.exchangeId, symbol, timeframe);
    const packed = packCandles(candles);
    this.l1.set(key, packed, Math.min(ttlMs, L1_TTL_MS));
    if (!this.redis.isReady) return this.l2Failed();
    try {
      await this.l2.set(key, packed, ttlMs);
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
    const ready = await whenRedisReady(this.redis, connectWaitMs).then(
      () => true,
      () => false,
    );
    if (!ready) return 0;
    let loaded = 0;
    try {
      for await (const keys of this.redis.scanIterator({
        MATCH: `${candleKeyPrefix(this.exchangeId)}:*`,
        COUNT: 1_000,
      })) {
        const values = await this.l2.getMany(keys);
        keys.forEach((key, i) => {
          const packed = values[i];
          if (!packed) return;
          this.l1.set(key, packed, L1_TTL_MS);
          loaded++;
        });
      }
    } catch {
      this.l2Failed();
    }
    return loaded;
  }

  private l2Failed(): void {
    this.failures++;
    this.lastL2Error = Date.now();
  }
}
