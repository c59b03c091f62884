import { createClient, type RedisClientType } from '@redis/client';
import { REPORT_INDEX_KEY, reportKey } from '../cache/keys.js';
import { type RedisTls, redisTlsSocket } from '../cache/redis-connection.js';
import { CacheUnavailableError, errorMessage } from '../errors.js';
import type { CycleReport } from '../scan/types.js';

/**
 * Cycle reports in Redis: one key per cycle and a sorted set of cycle ids by
 * start time, trimmed to the last `keep`. Saving is idempotent by cycle id:
 * the first save wins and a retried or replayed one changes nothing.
 */
export class ReportStore {
  private readonly client: RedisClientType;
  private connecting: Promise<unknown> | undefined;
  private connected = false;

  constructor(
    redisUrl: string,
    private readonly keep: number,
    tls?: RedisTls,
  ) {
    this.client = createClient({
      url: redisUrl,
      socket: {
        ...redisTlsSocket(tls),
        connectTimeout: 2_000,
        // Once connected, reconnect forever (Redis restarts); a first connection fails fast instead.
        reconnectStrategy: (retries, cause) =>
          this.connected
            ? Math.min(2_000, 100 * 2 ** retries)
            : retries >= 2
              ? new CacheUnavailableError(errorMessage(cause))
              : 200,
      },
    });
    this.client.on('ready', () => (this.connected = true));
    // Errors surface on the calls; without a listener the client would crash the process.
    this.client.on('error', () => {});
  }

  private async ready(): Promise<RedisClientType> {
    this.connecting ??= this.client.connect();
    try {
      await this.connecting;
    } catch (error) {
      this.connecting = undefined;
      throw new CacheUnavailableError(`Redis unreachable: ${errorMessage(error)}`);
    }
    return this.client;
  }

  /** Saves the report unless one exists for that cycle; true if this call wrote it. */
  async save(report: CycleReport): Promise<boolean> {
    const client = await this.ready();
    try {
      const written = await client.set(reportKey(report.cycleId), JSON.stringify(report), {
        condition: 'NX',
      });
      await client.zAdd(REPORT_INDEX_KEY, { score: Date.parse(report.startedAt), value: report.cycleId });
      const stale = await client.zRange(REPORT_INDEX_KEY, 0, -(this.keep + 1));
      if (stale.length > 0) {
        await client.del(stale.map(reportKey));
        await client.zRem(REPORT_INDEX_KEY, stale);
      }
      return written === 'OK';
    } catch (error) {
      throw new CacheUnavailableError(`saving report ${report.cycleId} failed: ${errorMessage(error)}`);
    }
  }

  async get(cycleId: string): Promise<CycleReport | undefined> {
    const client = await this.ready();
    const text = await client.get(reportKey(cycleId));
    return text ? (JSON.parse(text) as CycleReport) : undefined;
  }

  /** Ids of the most recent cycles, newest first. */
  async recent(count: number): Promise<string[]> {
    const client = await this.ready();
    return client.zRange(REPORT_INDEX_KEY, 0, count - 1, { REV: true });
  }

  /** Forgets reports (their keys and their place in the index). */
  async remove(cycleIds: string[]): Promise<void> {
    if (cycleIds.length === 0) return;
    const client = await this.ready();
    await client.del(cycleIds.map(reportKey));
    await client.zRem(REPORT_INDEX_KEY, cycleIds);
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.quit();
  }
}
