/**
 * @module
 * Holds every request of this process back while the exchange has asked us
 * to wait (429/418 Retry-After). Sending during that wait is what turns a 429
 * into a 418 ban, so nothing goes out until it has passed.
 */
export class RateGate {
  private openAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  pauseFor(ms: number): void {
    const until = this.now() + ms;
    if (until > this.openAt) this.openAt = until;
  }

  get waitMs(): number {
    return Math.max(0, this.openAt - this.now());
  }

  async wait(): Promise<number> {
    let waited = 0;
    // Loop: the pause may be extended while we sleep.
    for (let ms = this.waitMs; ms > 0; ms = this.waitMs) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      waited += ms;
    }
    return waited;
  }
}
