/**
 * @module
 * The exchange's request-weight allowance (Binance: 2400 per rolling minute
 * per IP), spent before each request: a request waits until its weight fits,
 * so a burst is sent at once when there is room and paced when there is not,
 * and the exchange never has to answer 429.
 *
 * A spend counts from when its answer arrived (the exchange counted it at
 * some moment before that), so our window never frees weight before the
 * exchange's does. The exchange's own count (X-MBX-USED-WEIGHT-1M) corrects
 * the estimate when it is higher, e.g. when another process shares the IP.
 * Two implementations: this process's own (LocalWeightBudget) and one shared
 * by every worker through Redis (RedisWeightBudget); one contract test suite
 * holds both to the same behaviour.
 */

export interface Spend {
  /** Call when the request's answer (or failure) arrived. */
  settle(): void;
}

export interface WeightBudget {
  /** Waits until `weight` fits in the window, then spends it. */
  acquire(weight: number): Promise<Spend>;
  /** The exchange says this much weight is spent in its window: adopt it if it is more than we know of. */
  observeUsed(usedWeight: number): void;
  /** The exchange said to wait (429/418): hold every request, wherever the budget is shared. */
  pauseFor(ms: number): void;
  /** Weight spent in the current window, as far as this budget knows (every sharer's, for a shared one). */
  usedWeight(): Promise<number>;
}

/** Binance counts request weight over a rolling minute. */
export const WEIGHT_WINDOW_MS = 60_000;

interface Entry {
  time: number;
  weight: number;
}

export class LocalWeightBudget implements WeightBudget {
  private entries: Entry[] = [];
  private used = 0;
  private pausedUntil = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs = WEIGHT_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  private expire(now: number): void {
    const horizon = now - this.windowMs;
    if (!this.entries.some((e) => e.time <= horizon)) return;
    this.entries = this.entries.filter((e) => {
      if (e.time > horizon) return true;
      this.used -= e.weight;
      return false;
    });
  }

  async acquire(weight: number): Promise<Spend> {
    for (;;) {
      const now = this.now();
      this.expire(now);
      const pause = this.pausedUntil - now;
      if (pause <= 0 && (this.used + weight <= this.limit || this.entries.length === 0)) {
        const entry: Entry = { time: Infinity, weight }; // in flight: never expires before it settles
        this.entries.push(entry);
        this.used += weight;
        return { settle: () => (entry.time = this.now()) };
      }
      // Sleep until the earliest settled spend leaves the window (or briefly, if all are in flight).
      const earliest = Math.min(...this.entries.map((e) => e.time));
      const untilFree = Number.isFinite(earliest) ? Math.max(10, earliest + this.windowMs - now + 5) : 100;
      // Capped, so that a correction (observeUsed) or a moved clock is noticed.
      const delay = Math.min(1_000, pause > 0 ? pause : untilFree);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  observeUsed(usedWeight: number): void {
    const now = this.now();
    this.expire(now);
    const unseen = usedWeight - this.used;
    if (unseen > 0) {
      this.entries.push({ time: now, weight: unseen });
      this.used += unseen;
    }
  }

  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  usedWeight(): Promise<number> {
    this.expire(this.now());
    return Promise.resolve(this.used);
  }
}
