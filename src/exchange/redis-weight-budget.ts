/**
 * @module
 * One request-weight budget for every worker on every machine: Binance
 * counts weight per IP, so all workers draw from the same rolling minute,
 * kept in Redis. Spends are a sorted set (score: when the answer arrived, or
 * a deadline while in flight, so a crashed worker's spend still counts), with
 * a running total beside it; a 429/418 sets a pause that holds every worker
 * until Retry-After. If Redis is away, each worker falls back to its own
 * local budget (a share of the limit) until Redis answers again.
 */
import type { RedisClientType } from '@redis/client';
import { weightKeyPrefix } from '../storage/redis-keys.js';
import { LocalWeightBudget, type Spend, WEIGHT_WINDOW_MS, type WeightBudget } from './weight-budget.js';

/** A spend whose answer never came (its worker died) stops counting after this. */
const IN_FLIGHT_DEADLINE_MS = 30_000;
/** With Redis away, each worker spends this share of the limit on its own. */
const FALLBACK_SHARE = 0.5;

/** Lua: frees the spends that have left the window (members are "<weight>:..."). */
const EXPIRE = `
local function expire(spends, total, now, window)
  local expired = redis.call('ZRANGEBYSCORE', spends, '-inf', now - window)
  if #expired > 0 then
    local freed = 0
    for _, m in ipairs(expired) do freed = freed + tonumber(string.match(m, '^(%d+):')) end
    redis.call('ZREMRANGEBYSCORE', spends, '-inf', now - window)
    redis.call('DECRBY', total, freed)
  end
end
`;

const ACQUIRE = `${EXPIRE}
local spends, total, pause = KEYS[1], KEYS[2], KEYS[3]
local now, window, limit, weight, member, inflight = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
local paused = tonumber(redis.call('GET', pause) or '0')
if paused > now then return paused - now end
expire(spends, total, now, window)
local used = tonumber(redis.call('GET', total) or '0')
if used + weight <= limit or used <= 0 then
  redis.call('ZADD', spends, now + inflight, member)
  redis.call('INCRBY', total, weight)
  redis.call('PEXPIRE', spends, window * 2 + inflight)
  redis.call('PEXPIRE', total, window * 2 + inflight)
  return 0
end
local oldest = redis.call('ZRANGE', spends, 0, 0, 'WITHSCORES')
local wait = 100
if #oldest == 2 then wait = tonumber(oldest[2]) + window - now + 5 end
return math.max(10, wait)
`;

const OBSERVE = `${EXPIRE}
local spends, total = KEYS[1], KEYS[2]
local now, used, member, window = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
expire(spends, total, now, window)
local known = tonumber(redis.call('GET', total) or '0')
if used > known then
  redis.call('ZADD', spends, now, (used - known) .. ':' .. member)
  redis.call('INCRBY', total, used - known)
  redis.call('PEXPIRE', spends, window * 2)
  redis.call('PEXPIRE', total, window * 2)
end
return known
`;

const USED = `${EXPIRE}
expire(KEYS[1], KEYS[2], tonumber(ARGV[1]), tonumber(ARGV[2]))
return tonumber(redis.call('GET', KEYS[2]) or '0')
`;

export class RedisWeightBudget implements WeightBudget {
  private readonly spendsKey: string;
  private readonly totalKey: string;
  private readonly pauseKey: string;
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly fallback: LocalWeightBudget;
  private sequence = 0;
  /** Acquisitions answered by the local fallback because Redis was away. */
  fallbacks = 0;

  constructor(
    private readonly redis: RedisClientType,
    /** `exchangeId`: whose weight (one budget per exchange); `windowMs` is shorter in tests only. */
    options: { exchangeId: string; limit: number; windowMs?: number },
    private readonly id = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
  ) {
    const prefix = weightKeyPrefix(options.exchangeId);
    this.spendsKey = `${prefix}:spends`;
    this.totalKey = `${prefix}:total`;
    this.pauseKey = `${prefix}:pause-until`;
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? WEIGHT_WINDOW_MS;
    this.fallback = new LocalWeightBudget(
      Math.max(1, Math.floor(options.limit * FALLBACK_SHARE)),
      this.windowMs,
    );
  }

  async acquire(weight: number): Promise<Spend> {
    const member = `${weight}:${this.id}:${++this.sequence}`;
    for (;;) {
      let wait: number;
      try {
        if (!this.redis.isReady) throw new Error('Redis not ready');
        wait = Number(
          await this.redis.eval(ACQUIRE, {
            keys: [this.spendsKey, this.totalKey, this.pauseKey],
            arguments: [
              String(Date.now()),
              String(this.windowMs),
              String(this.limit),
              String(weight),
              member,
              String(IN_FLIGHT_DEADLINE_MS),
            ],
          }),
        );
      } catch {
        this.fallbacks++;
        return this.fallback.acquire(weight);
      }
      if (wait <= 0) return { settle: () => void this.settle(member) };
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, wait)));
    }
  }

  private async settle(member: string): Promise<void> {
    try {
      await this.redis.zAdd(this.spendsKey, { score: Date.now(), value: member }, { condition: 'XX' });
    } catch {
      // Redis away: the in-flight deadline stands in for the answer time.
    }
  }

  observeUsed(usedWeight: number): void {
    this.fallback.observeUsed(usedWeight);
    if (!this.redis.isReady) return;
    this.redis
      .eval(OBSERVE, {
        keys: [this.spendsKey, this.totalKey],
        arguments: [
          String(Date.now()),
          String(usedWeight),
          `${this.id}:${++this.sequence}:observed`,
          String(this.windowMs),
        ],
      })
      .catch(() => {});
  }

  /** Holds every worker until `ms` from now (429/418 Retry-After). */
  pauseFor(ms: number): void {
    this.fallback.pauseFor(ms);
    if (!this.redis.isReady) return;
    this.redis
      .set(this.pauseKey, String(Date.now() + ms), { expiration: { type: 'PX', value: ms } })
      .catch(() => {});
  }

  /** Weight spent in the current window, all workers together (this worker's own, with Redis away). */
  async usedWeight(): Promise<number> {
    try {
      if (!this.redis.isReady) throw new Error('Redis not ready');
      return Number(
        await this.redis.eval(USED, {
          keys: [this.spendsKey, this.totalKey],
          arguments: [String(Date.now()), String(this.windowMs)],
        }),
      );
    } catch {
      return this.fallback.usedWeight();
    }
  }
}
