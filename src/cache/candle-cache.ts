import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import type { Ohlcv } from '../market-data/validate-candles.js';
import type { Timeframe } from '../scan/types.js';
import { CacheUnavailableError, errorMessage } from '../errors.js';
import { candleKey } from './keys.js';

/** A cached series: closed candles only, oldest first, and when it was fetched (exchange clock). */
export interface StoredSeries {
  candles: Ohlcv[];
  fetchedAt: number;
}

export interface CandleCache {
  get(symbol: string, timeframe: Timeframe): Promise<StoredSeries | undefined>;
  set(symbol: string, timeframe: Timeframe, series: StoredSeries, ttlMs: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * Candle series in Redis through Keyv. Values are compact JSON (arrays of
 * arrays, no names); entries expire on their own.
 */
export class RedisCandleCache implements CandleCache {
  private readonly keyv: Keyv<StoredSeries>;

  constructor(
    redisUrl: string,
    private readonly exchangeId: string,
  ) {
    const store = new KeyvRedis(redisUrl, {
      throwOnConnectError: false,
      throwOnErrors: true,
      connectionTimeout: 2_000,
    });
    // Keys are complete already (keys.ts); no Keyv namespace prefix on top.
    this.keyv = new Keyv<StoredSeries>({
      store,
      namespace: undefined,
      useKeyPrefix: false,
      throwOnErrors: true,
    });
  }

  async get(symbol: string, timeframe: Timeframe): Promise<StoredSeries | undefined> {
    try {
      return await this.keyv.get(candleKey(this.exchangeId, symbol, timeframe));
    } catch (error) {
      throw new CacheUnavailableError(`candle cache read failed: ${errorMessage(error)}`);
    }
  }

  async set(symbol: string, timeframe: Timeframe, series: StoredSeries, ttlMs: number): Promise<string> {
    const key = candleKey(this.exchangeId, symbol, timeframe);
    try {
      await this.keyv.set(key, series, ttlMs);
    } catch (error) {
      throw new CacheUnavailableError(`candle cache write failed: ${errorMessage(error)}`);
    }
    return key;
  }

  async close(): Promise<void> {
    await this.keyv.disconnect();
  }
}
