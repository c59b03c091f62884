import { createClient, type RedisClientType } from '@redis/client';

/**
 * A Redis client for the candle cache: commands fail at once while Redis is
 * away (no offline queue, so a cycle degrades to memory instead of hanging),
 * and it reconnects by itself, forever, with capped backoff.
 */
export function createCacheRedisClient(url: string): RedisClientType {
  const client: RedisClientType = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries) => Math.min(2_000, 50 * 2 ** retries) },
  });
  // Failures surface on the commands (and as the cache's degraded flag); never crash on them.
  client.on('error', () => {});
  // Connect in the background: a worker starts even when Redis does not answer yet.
  client.connect().catch(() => {});
  return client;
}
