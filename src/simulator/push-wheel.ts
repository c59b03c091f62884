/**
 * @module
 * When each stream is pushed: a timing wheel. Every item has a phase in its
 * period, and the wheel visits a slot of items every SLOT_MS (real time), so
 * each item comes up once per period at its own moment and a thousand
 * streams make a steady trickle instead of one burst per period. One timer
 * serves every item; a slot costs one Set walk, and the wheel sleeps while it
 * is empty.
 */

/** Resolution of the wheel (real ms): finer than the 250 ms period, coarse enough to cost nothing idle. */
export const SLOT_MS = 10;

export class PushWheel<T> {
  private readonly slots: Array<Set<T>>;
  private readonly slotOf = new Map<T, number>();
  private readonly slotMs: number;
  private timer: NodeJS.Timeout | undefined;
  /** Absolute number (time / slotMs) of the last slot visited. */
  private last = -1;
  private closed = false;

  /**
   * @param periodMs how often each item comes up (real ms)
   * @param visit called on every wheel tick with the items whose slots came up since the last tick
   */
  constructor(
    periodMs: number,
    private readonly visit: (due: ReadonlyArray<ReadonlySet<T>>) => void,
  ) {
    const count = Math.max(1, Math.round(periodMs / SLOT_MS));
    this.slotMs = periodMs / count;
    this.slots = Array.from({ length: count }, () => new Set<T>());
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** Every item, in no particular order. */
  *items(): IterableIterator<T> {
    for (const slot of this.slots) yield* slot;
  }

  /** Adds `item` at `phase` in [0, 1) of the period. */
  add(item: T, phase: number): void {
    if (this.slotOf.has(item)) return;
    const slot = Math.min(this.slots.length - 1, Math.floor(phase * this.slots.length));
    this.slots[slot]!.add(item);
    this.slotOf.set(item, slot);
    this.start();
  }

  delete(item: T): void {
    const slot = this.slotOf.get(item);
    if (slot === undefined) return;
    this.slots[slot]!.delete(item);
    this.slotOf.delete(item);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private start(): void {
    if (this.timer || this.closed) return;
    this.last = Math.floor(performance.now() / this.slotMs);
    this.schedule();
  }

  private schedule(): void {
    const wait = (this.last + 1) * this.slotMs - performance.now();
    this.timer = setTimeout(() => this.tick(), Math.max(0, wait));
  }

  private tick(): void {
    this.timer = undefined;
    if (this.closed) return;
    const now = Math.floor(performance.now() / this.slotMs);
    const due: Array<Set<T>> = [];
    // A late tick visits every slot it passed (each at most once), so no item misses its turn.
    const first = Math.max(this.last + 1, now - this.slots.length + 1);
    for (let n = first; n <= now; n++) due.push(this.slots[n % this.slots.length]!);
    this.last = Math.max(this.last, now);
    this.visit(due);
    if (this.slotOf.size > 0) this.schedule();
  }
}
