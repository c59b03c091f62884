/**
 * @module
 * Binance's request-weight limit, per client IP: the weight of the requests
 * of the last 60 s may not exceed the limit (2400 on USDⓈ-M futures). Past it
 * the answer is 429 with Retry-After; a client that keeps sending while told
 * to wait is banned with 418, for 2 minutes the first time and twice as long
 * each time after (Binance: "from 2 minutes to 3 days").
 */
export interface WeightOptions {
  limit: number;
  windowMs: number;
  /** In-flight requests need a moment to drain after a 429: no ban within it. */
  banGraceMs: number;
  banBaseMs: number;
  banMaxMs: number;
}

export const DEFAULT_WEIGHT_OPTIONS: WeightOptions = {
  limit: 2400,
  windowMs: 60_000,
  banGraceMs: 1_000,
  banBaseMs: 120_000,
  banMaxMs: 3 * 86_400_000,
};

export type Admission =
  | { kind: 'ok'; usedWeight: number }
  | { kind: 'limited'; usedWeight: number; retryAfterMs: number }
  | { kind: 'banned'; usedWeight: number; retryAfterMs: number; bannedUntil: number };

interface ClientState {
  /** [time, weight] of admitted requests, oldest first; those before `head` have left the window. */
  entries: Array<[number, number]>;
  head: number;
  used: number;
  limitedSince?: number;
  limitedUntil?: number;
  bannedUntil?: number;
  bans: number;
}

export class WeightLimiter {
  private readonly clients = new Map<string, ClientState>();

  constructor(
    private readonly options: WeightOptions,
    private readonly now: () => number = Date.now,
  ) {}

  admit(ip: string, weight: number): Admission {
    const now = this.now();
    const state = this.state(ip, now);
    if (state.bannedUntil !== undefined && now < state.bannedUntil) {
      return {
        kind: 'banned',
        usedWeight: state.used,
        retryAfterMs: state.bannedUntil - now,
        bannedUntil: state.bannedUntil,
      };
    }
    if (
      state.limitedUntil !== undefined &&
      now < state.limitedUntil &&
      now - state.limitedSince! > this.options.banGraceMs
    ) {
      const duration = Math.min(this.options.banMaxMs, this.options.banBaseMs * 2 ** state.bans);
      state.bans++;
      state.bannedUntil = now + duration;
      return {
        kind: 'banned',
        usedWeight: state.used,
        retryAfterMs: duration,
        bannedUntil: state.bannedUntil,
      };
    }
    if (state.used + weight > this.options.limit) {
      const retryAfterMs = this.timeUntilFits(state, weight, now);
      if (state.limitedUntil === undefined || now >= state.limitedUntil) state.limitedSince = now;
      state.limitedUntil = now + retryAfterMs;
      return { kind: 'limited', usedWeight: state.used, retryAfterMs };
    }
    state.entries.push([now, weight]);
    state.used += weight;
    return { kind: 'ok', usedWeight: state.used };
  }

  usedWeight(ip: string): number {
    return this.state(ip, this.now()).used;
  }

  /** Forgets every client's usage and bans. */
  reset(): void {
    this.clients.clear();
  }

  private state(ip: string, now: number): ClientState {
    let state = this.clients.get(ip);
    if (!state) {
      state = { entries: [], head: 0, used: 0, bans: 0 };
      this.clients.set(ip, state);
    }
    const horizon = now - this.options.windowMs;
    while (state.head < state.entries.length && state.entries[state.head]![0] <= horizon) {
      state.used -= state.entries[state.head++]![1];
    }
    if (state.head > 1024 && state.head * 2 > state.entries.length) {
      state.entries = state.entries.slice(state.head);
      state.head = 0;
    }
    return state;
  }

  private timeUntilFits(state: ClientState, weight: number, now: number): number {
    let excess = state.used + weight - this.options.limit;
    for (let i = state.head; i < state.entries.length; i++) {
      const [time, w] = state.entries[i]!;
      excess -= w;
      if (excess <= 0) return Math.max(1000, time + this.options.windowMs - now);
    }
    return this.options.windowMs;
  }
}
