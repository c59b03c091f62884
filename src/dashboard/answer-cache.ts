/**
 * @module
 * Answers that read much of the ledger (performance over 30 days, the
 * health of 100 cycles), kept until the next cycle is recorded: they change
 * only then, and a page open on many screens asks for them every cycle. The
 * events loop (events.ts) clears the cache when it sees a new cycle.
 */
export class AnswerCache {
  private readonly answers = new Map<string, Promise<unknown>>();

  /** At most this many answers are kept (distinct windows and groupings); the oldest goes first. */
  constructor(private readonly size = 100) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const kept = this.answers.get(key) as Promise<T> | undefined;
    if (kept) return kept;
    const made = compute();
    // A failed computation is not kept: the next request tries again.
    made.catch(() => this.answers.delete(key));
    this.answers.set(key, made);
    if (this.answers.size > this.size) this.answers.delete(this.answers.keys().next().value!);
    return made;
  }

  clear(): void {
    this.answers.clear();
  }
}
