/**
 * @module
 * The one way the product connects to Redis (candle store, weight budget): commands fail at once while Redis is away (no offline queue, so
 * a cycle degrades to memory instead of hanging on it), and the client
 * reconnects by itself, forever, with capped backoff.
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, type RedisClientType } from '@redis/client';
import type { RedisTls } from '../config.js';
import { CacheUnavailableError, errorMessage } from '../core/errors.js';

/** The last connection error of each client: the reason given when it does not answer. */
const lastErrors = new WeakMap<RedisClientType, unknown>();

export function createRedisClient(url: string, tls?: RedisTls): RedisClientType {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      reconnectStrategy: (retries: number) => Math.min(2_000, 50 * 2 ** retries),
      ...(tls ? { tls: true, ca: tls.ca } : {}),
    },
  }) as RedisClientType;
  // Failures surface on the commands (and as the cache's degraded flag); never crash on them.
  client.on('error', (error: unknown) => lastErrors.set(client, error));
  // Connect in the background: a worker starts even when Redis does not answer yet.
  client.connect().catch(() => {});
  return client;
}

/** Waits up to `timeoutMs` for the connection; throws CacheUnavailableError if Redis does not answer by then. */
export async function whenRedisReady(client: RedisClientType, timeoutMs: number): Promise<void> {
  if (client.isReady) return;
  await Promise.race([once(client, 'ready').catch(() => {}), sleep(timeoutMs)]);
  if (client.isReady) return;
  const cause = lastErrors.get(client);
  throw new CacheUnavailableError(
    `Redis unreachable${cause === undefined ? ` (no answer within ${timeoutMs} ms)` : `: ${errorMessage(cause)}`}`,
  );
}

/** Closes a client whether or not it ever connected. */
export async function closeRedis(client: RedisClientType): Promise<void> {
  if (client.isReady) await client.quit().catch(() => client.destroy());
  else client.destroy();
}

/** Whether a Redis answers at `url` within `timeoutMs`: throws CacheUnavailableError, with the reason, if not. */
export async function redisAnswers(url: string, tls?: RedisTls, timeoutMs = 2_000): Promise<void> {
  const client = createRedisClient(url, tls);
  try {
    await whenRedisReady(client, timeoutMs);
  } finally {
    await closeRedis(client);
  }
}
