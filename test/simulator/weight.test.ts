import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHT_OPTIONS, WeightLimiter } from '../../src/simulator/weight.js';

describe('request weight limiter', () => {
  const clock = { t: 0 };
  const make = (limit = 10) => {
    clock.t = 1_000_000;
    return new WeightLimiter({ ...DEFAULT_WEIGHT_OPTIONS, limit, banBaseMs: 120_000 }, () => clock.t);
  };

  it('admits a burst up to the limit within the minute, then answers 429 with the wait', () => {
    const limiter = make(10);
    for (let i = 1; i <= 10; i++) expect(limiter.admit('a', 1)).toEqual({ kind: 'ok', usedWeight: i });
    const limited = limiter.admit('a', 1);
    expect(limited.kind).toBe('limited');
    expect(limited.kind === 'limited' && limited.retryAfterMs).toBe(60_000);
    expect(limiter.admit('b', 1).kind).toBe('ok'); // per IP
  });

  it('frees weight as it leaves the rolling window', () => {
    const limiter = make(10);
    limiter.admit('a', 6);
    clock.t += 30_000;
    limiter.admit('a', 4);
    clock.t += 30_001;
    expect(limiter.usedWeight('a')).toBe(4);
    expect(limiter.admit('a', 6).kind).toBe('ok');
  });

  it('bans a client that keeps sending after 429, longer each time', () => {
    const limiter = make(2);
    limiter.admit('a', 2);
    expect(limiter.admit('a', 1).kind).toBe('limited');
    clock.t += 500; // within the grace for in-flight requests
    expect(limiter.admit('a', 1).kind).toBe('limited');
    clock.t += 1_000;
    const ban = limiter.admit('a', 1);
    expect(ban.kind).toBe('banned');
    expect(ban.kind === 'banned' && ban.retryAfterMs).toBe(120_000);
    clock.t += 120_000;
    limiter.admit('a', 2); // a fresh minute: fills it
    expect(limiter.admit('a', 1).kind).toBe('limited');
    clock.t += 2_000;
    const second = limiter.admit('a', 1);
    expect(second.kind === 'banned' && second.retryAfterMs).toBe(240_000);
  });
});
