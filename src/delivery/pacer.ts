/**
 * @module
 * Each destination's pace, in this process: a message waits until the
 * destination's spacing since the last one has passed (its channel's
 * documented rate), and a 429 or a "remaining 0" pauses the destination for
 * as long as the receiver asked. One delivery workflow per destination sends
 * one message at a time, so this is a per-destination clock, not a queue.
 * Another worker's sends are not seen here: a receiver that says 429 is
 * waited for (its Retry-After becomes the next retry's delay).
 */

export class Pacer {
  private readonly nextAt = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** How long a message to `destination` would wait now, ms. */
  waitOf(destination: string): number {
    return Math.max(0, (this.nextAt.get(destination) ?? 0) - this.now());
  }

  /** Resolves when `destination` may be sent to. */
  async ready(destination: string): Promise<void> {
    for (let wait = this.waitOf(destination); wait > 0; wait = this.waitOf(destination))
      await this.sleep(wait);
  }

  /** After a message went out: the next waits `spacingMs`, or longer if the receiver asked (`pauseMs`). */
  sent(destination: string, spacingMs: number, pauseMs = 0): void {
    this.hold(destination, Math.max(spacingMs, pauseMs));
  }

  /** The receiver asked every sender to wait `ms`. */
  hold(destination: string, ms: number): void {
    const until = this.now() + ms;
    if (until > (this.nextAt.get(destination) ?? 0)) this.nextAt.set(destination, until);
  }
}
