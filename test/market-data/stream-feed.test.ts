import { describe, expect, it } from 'vitest';
import type { CandleStore } from '../../src/storage/candle-store.js';
import { StreamFeed } from '../../src/market-data/stream-feed.js';

describe('stream feed follows the universe', () => {
  it('subscribes each symbol × timeframe once, adds new listings, and stops following once stopped', async () => {
    let connects = 0;
    const feed = new StreamFeed({
      // The exchange is unreachable here: only the bookkeeping is under test.
      connect: () => {
        connects++;
        return Promise.reject(new Error('connection refused'));
      },
      store: undefined as unknown as CandleStore,
      timeframes: ['1h', '15m', '5m'],
      keep: 98,
      streamsPerConnection: 4,
      reconnectBaseMs: 60_000,
    });
    expect(feed.follow(['A/USDT:USDT', 'B/USDT:USDT'])).toBe(6);
    expect(feed.follow(['A/USDT:USDT', 'B/USDT:USDT', 'C/USDT:USDT'])).toBe(3);
    expect(feed.size).toBe(9);
    await new Promise((r) => setTimeout(r, 50));
    expect(connects).toBe(3); // 6 streams on two connections of up to 4, then one for the new listing
    expect(await feed.whenLive(100)).toBe(false); // none delivered: the worker goes on without them
    await feed.stop();
    expect(feed.follow(['D/USDT:USDT'])).toBe(0);
  });
});
