/**
 * @module
 * One request-weight budget for every worker on every machine: Binance
 * counts weight per IP, so all workers draw from the same rolling minute,
 * kept in Redis. Spends are a sorted set (score: when the answer arrived, or
 * a deadline while in flight, so a crashed worker's spend still counts), with
 * a running total beside it; a 429/418 sets a pause that holds every worker
 * until Retry-After. If Redis is away, each worker falls back to its own
 * local budget (a share of the limit) until Redis answers again.
 *
 * A worker takes weight in leases (blocks of up to 1/40 of the limit, sized
 * by what is waiting): one round trip for many requests, where one per
 * request (and one more per answer) cost a cold cycle thousands of Lua
 * calls. A lease counts in Redis in full from when it is granted until the
 * window after its last answer; what it did not give out is freed when it
 * closes (used up, or idle for 50 ms).
 */
import { setTimeout as sleep } from 'node:timers/promises';
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

/**
 * Lua: grants a lease of weight, between `need` (the largest request
 * waiting) and `want` (all that is waiting, capped), as much as fits; or
 * says how long to wait. Returns {wait ms, granted, total after}.
 */
const LEASE = `${EXPIRE}
local spends, total, pause = KEYS[1], KEYS[2], KEYS[3]
local now, window, limit, need, want, suffix, inflight = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7])
local paused = tonumber(redis.call('GET', pause) or '0')
if paused > now then return {paused - now, 0, 0} end
expire(spends, total, now, window)
local used = tonumber(redis.call('GET', total) or '0')
if used + need <= limit or used <= 0 then
  local grant = math.max(need, math.min(want, limit - used))
  redis.call('ZADD', spends, now + inflight, grant .. ':' .. suffix)
  redis.call('INCRBY', total, grant)
  redis.call('PEXPIRE', spends, window * 2 + inflight)
  redis.call('PEXPIRE', total, window * 2 + inflight)
  return {0, grant, used + grant}
end
local oldest = redis.call('ZRANGE', spends, 0, 0, 'WITHSCORES')
local wait = 100
if #oldest == 2 then wait = tonumber(oldest[2]) + window - now + 5 end
return {math.max(10, wait), 0, used}
`;

/**
 * Lua: a lease is done (every answer of what it gave out has come): it now
 * counts what it gave out, from now; what it did not give out is freed. A
 * lease the window has already freed (its worker was too slow) stays freed.
 */
const SETTLE_LEASE = `
local spends, total = KEYS[1], KEYS[2]
local leased, used, unused, now = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
if redis.call('ZREM', spends, leased) == 1 then
  if unused > 0 then redis.call('DECRBY', total, unused) end
  if used ~= '' then redis.call('ZADD', spends, now, used) end
end
return 0
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
return math.max(used, known)
`;

const USED = `${EXPIRE}
expire(KEYS[1], KEYS[2], tonumber(ARGV[1]), tonumber(ARGV[2]))
return tonumber(redis.call('GET', KEYS[2]) or '0')
`;

/** A block of weight this worker took from the shared budget in one round trip, given out request by request. */
interface Lease {
  /** The member recording it in Redis ("<granted>:<suffix>"). */
  suffix: string;
  granted: number;
  /** Given out to requests so far, and of that, answered. */
  taken: number;
  settled: number;
  /** No more is given out of it (used up, idle, or paused); settled in Redis once every answer came. */
  closed: boolean;
  idle?: NodeJS.Timeout;
}

/** A lease nothing took from for this long is closed, and what it did not give out goes back. */
const LEASE_IDLE_MS = 50;
/** A lease is at most this share of the limit: what one worker may hold but not use, for a moment. */
const LEASE_SHARE = 1 / 40;
/** The last total Redis told us stands for this long: a lower count from the exchange adds nothing to it. */
const KNOWN_TOTAL_MS = 1_000;

type LeaseOutcome = 'leased' | 'wait' | 'fallback';

export class RedisWeightBudget implements WeightBudget {
  private readonly spendsKey: string;
  private readonly totalKey: string;
  private readonly pauseKey: string;
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly maxLease: number;
  private readonly fallback: LocalWeightBudget;
  private sequence = 0;
  private lease?: Lease;
  /** The lease being asked for: every request waiting shares one round trip. */
  private leasing?: Promise<LeaseOutcome>;
  /** Weight waiting for a lease, and the largest single request among it. */
  private waiting: number[] = [];
  /** This worker's own hold (a 429 it met), so that no lease hands out weight meanwhile. */
  private pausedUntil = 0;
  private knownTotal = { weight: 0, at: 0 };
  /** Acquisitions answered by the local fallback because Redis was away. */
  fallbacks = 0;
  /** Round trips to Redis that leased weight (a figure for the benchmark and tests). */
  leases = 0;

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
    this.maxLease = Math.max(1, Math.floor(options.limit * LEASE_SHARE));
    this.fallback = new LocalWeightBudget(
      Math.max(1, Math.floor(options.limit * FALLBACK_SHARE)),
      this.windowMs,
    );
  }

  /**
   * Spends out of the current lease when it has room (no round trip); else
   * waits for the next lease, asked for once for every request waiting, so a
   * cycle's 1,590 requests cost Redis a few dozen round trips, not thousands.
   * Every spend still counts in Redis until the window after its answer.
   */
  async acquire(weight: number): Promise<Spend> {
    for (;;) {
      const pause = this.pausedUntil - Date.now();
      if (pause > 0) {
        await sleep(Math.min(1_000, pause));
        continue;
      }
      const lease = this.lease;
      if (lease && lease.granted - lease.taken >= weight) return this.take(lease, weight);
      if (lease) this.close(lease); // too little left for this request
      this.waiting.push(weight);
      let outcome: LeaseOutcome;
      try {
        outcome = await (this.leasing ??= this.newLease().finally(() => (this.leasing = undefined)));
      } finally {
        this.waiting.splice(this.waiting.indexOf(weight), 1);
      }
      if (outcome === 'fallback') {
        this.fallbacks++;
        return this.fallback.acquire(weight);
      }
    }
  }

  private async newLease(): Promise<LeaseOutcome> {
    // The requests waiting now, and those that join while this one is asked for, wait on it.
    await Promise.resolve();
    const need = Math.max(1, ...this.waiting);
    const want = Math.min(
      this.maxLease,
      this.waiting.reduce((a, b) => a + b, 0),
    );
    const suffix = `${this.id}:${++this.sequence}`;
    let answer: [number, number, number];
    try {
      if (!this.redis.isReady) throw new Error('Redis not ready');
      answer = (await this.redis.eval(LEASE, {
        keys: [this.spendsKey, this.totalKey, this.pauseKey],
        arguments: [
          String(Date.now()),
          String(this.windowMs),
          String(this.limit),
          String(need),
          String(Math.max(need, want)),
          suffix,
          String(IN_FLIGHT_DEADLINE_MS),
        ],
      })) as [number, number, number];
    } catch {
      return 'fallback';
    }
    const [wait, granted, total] = answer.map(Number) as [number, number, number];
    this.knownTotal = { weight: total, at: Date.now() };
    if (wait > 0) {
      await sleep(Math.min(1_000, wait));
      return 'wait';
    }
    this.leases++;
    this.lease = { suffix, granted, taken: 0, settled: 0, closed: false };
    return 'leased';
  }

  private take(lease: Lease, weight: number): Spend {
    lease.taken += weight;
    clearTimeout(lease.idle);
    if (lease.taken >= lease.granted) this.close(lease);
    else lease.idle = setTimeout(() => this.close(lease), LEASE_IDLE_MS).unref();
    let settled = false;
    return {
      settle: () => {
        if (settled) return;
        settled = true;
        lease.settled += weight;
        if (lease.closed && lease.settled === lease.taken) void this.settleLease(lease);
      },
    };
  }

  private close(lease: Lease): void {
    if (lease.closed) return;
    lease.closed = true;
    clearTimeout(lease.idle);
    if (this.lease === lease) this.lease = undefined;
    if (lease.settled === lease.taken) void this.settleLease(lease);
  }

  /** Every answer of the lease came: it counts what it gave out from now, and frees the rest. */
  private async settleLease(lease: Lease): Promise<void> {
    try {
      await this.redis.eval(SETTLE_LEASE, {
        keys: [this.spendsKey, this.totalKey],
        arguments: [
          `${lease.granted}:${lease.suffix}`,
          lease.taken > 0 ? `${lease.taken}:${lease.suffix}` : '',
          String(lease.granted - lease.taken),
          String(Date.now()),
        ],
      });
    } catch {
      // Redis away: the in-flight deadline stands in for the answer time (and holds the unused part as long).
    }
  }

  observeUsed(usedWeight: number): void {
    this.fallback.observeUsed(usedWeight);
    if (!this.redis.isReady) return;
    // Nothing to adopt when Redis counted as much a moment ago (our own spends, in a busy cycle).
    const known = this.knownTotal;
    if (usedWeight <= known.weight && Date.now() - known.at < KNOWN_TOTAL_MS) return;
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
      .then((total) => (this.knownTotal = { weight: Number(total), at: Date.now() }))
      .catch(() => {});
  }

  /** Holds every worker until `ms` from now (429/418 Retry-After). */
  pauseFor(ms: number): void {
    this.fallback.pauseFor(ms);
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
    if (this.lease) this.close(this.lease);
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
