/**
 * The exchange's request-weight allowance (Binance: 2400 per rolling minute
 * per IP), spent before each request: a request waits until its weight fits,
 * so a burst is sent at once when there is room and paced when there is not,
 * and the exchange never has to answer 429.
 *
 * A spend counts from when its answer arrived (the exchange counted it at
 * some moment before that), so our window never frees weight before the
 * exchange's does. The exchange's own count (X-MBX-USED-WEIGHT-1M) corrects
 * the estimate when it is higher, e.g. when another process shares the IP.
 */
export interface Spend {
  /** Call when the request's answer (or failure) arrived. */
  settle(): void;
}

export interface WeightBudget {
  acquire(weight: number): Promise<Spend>;
  observeUsed(usedWeight: number): void;
  /** The exchange said to wait (429/418): hold every request, wherever the budget is shared. */
  pauseFor?(ms: number): void;
}

interface Entry {
  time: number;
  weight: number;
}

export class LocalWeightBudget implements WeightBudget {
  private entries: Entry[] = [];
  private used = 0;
  /** How many acquisitions had to wait, and for how long in all. */
  waits = 0;
  waitedMs = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
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

  /** Waits until `weight` fits in the window, then spends it. */
  async acquire(weight: number): Promise<Spend> {
    let waited = 0;
    for (;;) {
      const now = this.now();
      this.expire(now);
      if (this.used + weight <= this.limit || this.entries.length === 0) {
        const entry: Entry = { time: Infinity, weight }; // in flight: never expires before it settles
        this.entries.push(entry);
        this.used += weight;
        if (waited > 0) {
          this.waits++;
          this.waitedMs += waited;
        }
        return { settle: () => (entry.time = this.now()) };
      }
      // Sleep until the earliest settled spend leaves the window (or briefly, if all are in flight).
      const earliest = Math.min(...this.entries.map((e) => e.time));
      // Capped, so that a correction (observeUsed) or a moved clock is noticed.
      const delay = Number.isFinite(earliest)
        ? Math.min(1_000, Math.max(10, earliest + this.windowMs - now + 5))
        : 100;
      await new Promise((resolve) => setTimeout(resolve, delay));
      waited += delay;
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

  get usedWeight(): number {
    this.expire(this.now());
    return this.used;
  }
}
