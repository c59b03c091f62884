import { afterAll, describe, expect, it } from 'vitest';
import { CandleStore, type StoredCandles } from '../../src/storage/candle-store.js';
import { createRedisClient } from '../../src/storage/redis-connection.js';
import { candleKey } from '../../src/storage/redis-keys.js';
import { loadConfig } from '../../src/config.js';
import type { Ohlcv } from '../../src/core/candles.js';

const L1 = { l1Size: 1_000 };
/** What a read answered, as plain data (the store's answer unpacks its candles when they are read). */
const plain = (stored: StoredCandles | undefined) => stored && { candles: stored.candles, tier: stored.tier };
const REDIS_URL = loadConfig(process.env, {}, { requireExchangeUrl: false }).REDIS_URL;
const candles: Ohlcv[] = [
  [0, 1, 2, 0.5, 1.5, 10],
  [3_600_000, 1.5, 2, 1, 1.2, 11],
];

async function until(check: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('candle store', () => {
  const clients = [
    createRedisClient(REDIS_URL),
    createRedisClient(REDIS_URL),
    createRedisClient('redis://127.0.0.1:1'),
  ];
  afterAll(() => {
    for (const c of clients) c.destroy();
  });
  const exchangeId = `test-store-${Date.now()}`;

  it('answers from L1 on the worker that stored it, from L2 (Redis) on another', async () => {
    await until(() => clients[0]!.isReady && clients[1]!.isReady);
    const a = new CandleStore(clients[0]!, exchangeId, L1);
    const b = new CandleStore(clients[1]!, exchangeId, L1);
    await a.set('BTC/USDT:USDT', '1h', candles, 60_000);
    expect(plain(await a.get('BTC/USDT:USDT', '1h'))).toEqual({ candles, tier: 'l1' });
    expect(plain(await b.get('BTC/USDT:USDT', '1h'))).toEqual({ candles, tier: 'l2' });
    expect(plain(await b.get('BTC/USDT:USDT', '1h'))).toEqual({ candles, tier: 'l1' });
    expect(await b.get('ETH/USDT:USDT', '1h')).toBeUndefined();
    expect(b.l2Errors).toBe(0);
    expect(a.degraded).toBe(false);
  });

  it('prewarms L1 from L2, so a restarted worker answers from memory', async () => {
    await new CandleStore(clients[0]!, exchangeId, L1).set('ETH/USDT:USDT', '5m', candles, 60_000);
    const restarted = new CandleStore(clients[1]!, exchangeId, L1);
    expect(await restarted.prewarm()).toBe(2); // BTC 1h from the first test, ETH 5m
    expect(plain(await restarted.get('ETH/USDT:USDT', '5m'))).toEqual({ candles, tier: 'l1' });
    expect(plain(await restarted.get('BTC/USDT:USDT', '1h'))).toEqual({ candles, tier: 'l1' });
    expect(await new CandleStore(clients[1]!, `${exchangeId}-other`, L1).prewarm()).toBe(0);
    // Called right after the client is created, as a worker does at start: it waits for the connection.
    const fresh = createRedisClient(REDIS_URL);
    try {
      expect(await new CandleStore(fresh, exchangeId, L1).prewarm()).toBe(2);
    } finally {
      fresh.destroy();
    }
    expect(await new CandleStore(clients[2]!, exchangeId, L1).prewarm(100)).toBe(0);
  });

  it('stores values compactly and lets them expire on their own', async () => {
    const raw = await clients[0]!.get(candleKey(exchangeId, 'BTC/USDT:USDT', '1h'));
    expect(raw).not.toContain('\n');
    expect(raw!.length).toBeLessThan(200);
    const ttl = await clients[0]!.pTTL(candleKey(exchangeId, 'BTC/USDT:USDT', '1h'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('keeps every number exact through Redis, and takes an entry that is not a series for a miss', async () => {
    const exact: Ohlcv[] = [[1_733_299_200_000, 0.1 + 0.2, 97_123.45, 1e-8, 3.000_000_1, 123_456_789.123]];
    await new CandleStore(clients[0]!, exchangeId, L1).set('SOL/USDT:USDT', '15m', exact, 60_000);
    expect(plain(await new CandleStore(clients[1]!, exchangeId, L1).get('SOL/USDT:USDT', '15m'))).toEqual({
      candles: exact,
      tier: 'l2',
    });
    await clients[0]!.set(candleKey(exchangeId, 'XRP/USDT:USDT', '15m'), ':AAAA', { PX: 60_000 });
    const reader = new CandleStore(clients[1]!, exchangeId, L1);
    expect(await reader.get('XRP/USDT:USDT', '15m')).toBeUndefined();
    expect(reader.l2Errors).toBe(0);
  });

  it('keeps working on memory when Redis is away, and says it is degraded', async () => {
    const store = new CandleStore(clients[2]!, exchangeId, L1);
    expect(store.degraded).toBe(true);
    expect(await store.get('BTC/USDT:USDT', '1h')).toBeUndefined();
    await store.set('BTC/USDT:USDT', '1h', candles, 60_000);
    expect(plain(await store.get('BTC/USDT:USDT', '1h'))).toEqual({ candles, tier: 'l1' });
    expect(store.l2Errors).toBeGreaterThan(0);
  });
});
