/**
 * The simulator's clock: real time by default, or faster (speed > 1), and
 * movable forward by a test. It never goes back, so a closed candle stays
 * closed and never changes.
 */
export class SimClock {
  private baseReal: number;
  private baseSim: number;

  constructor(
    private speed = 1,
    start?: number,
    private readonly realNow: () => number = Date.now,
  ) {
    this.baseReal = realNow();
    this.baseSim = start ?? this.baseReal;
  }

  now(): number {
    return Math.floor(this.baseSim + (this.realNow() - this.baseReal) * this.speed);
  }

  get rate(): number {
    return this.speed;
  }

  /** Jumps ahead by `ms` of simulated time. */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError('the clock only moves forward');
    this.rebase();
    this.baseSim += ms;
    return this.now();
  }

  /** Moves to `t` (ms since the epoch), which must not be in the clock's past. */
  set(t: number): number {
    const now = this.now();
    if (t < now) throw new RangeError(`the clock only moves forward (now ${new Date(now).toISOString()})`);
    return this.advance(t - now);
  }

  setSpeed(speed: number): void {
    if (!(speed > 0)) throw new RangeError('speed must be positive');
    this.rebase();
    this.speed = speed;
  }

  /** Real milliseconds until simulated time `t`. */
  realDelayUntil(t: number): number {
    return Math.max(0, (t - this.now()) / this.speed);
  }

  private rebase(): void {
    this.baseSim = this.now();
    this.baseReal = this.realNow();
  }
}
