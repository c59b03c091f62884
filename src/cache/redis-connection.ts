import { readFileSync } from 'node:fs';
import { createClient, type RedisClientType } from '@redis/client';
import type { Config } from '../config.js';

/** TLS for a rediss:// URL whose server certificate comes from REDIS_TLS_CA (else the system roots vouch). */
export interface RedisTls {
  ca: Buffer;
}

export function redisTls(config: Config): RedisTls | undefined {
  return config.REDIS_TLS_CA ? { ca: readFileSync(config.REDIS_TLS_CA) } : undefined;
}

/** node-redis socket options for it (a rediss:// URL alone already turns TLS on). */
export function redisTlsSocket(tls: RedisTls | undefined): { tls: true; ca: Buffer } | Record<string, never> {
  return tls ? { tls: true, ca: tls.ca } : {};
}

/**
 * A Redis client for the candle cache: commands fail at once while Redis is
 * away (no offline queue, so a cycle degrades to memory instead of hanging),
 * and it reconnects by itself, forever, with capped backoff.
 */
export function createCacheRedisClient(url: string, tls?: RedisTls): RedisClientType {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      reconnectStrategy: (retries: number) => Math.min(2_000, 50 * 2 ** retries),
      ...redisTlsSocket(tls),
    },
  }) as RedisClientType;
  // Failures surface on the commands (and as the cache's degraded flag); never crash on them.
  client.on('error', () => {});
  // Connect in the background: a worker starts even when Redis does not answer yet.
  client.connect().catch(() => {});
  return client;
}
