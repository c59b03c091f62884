/**
 * @module
 * What makes the page update by itself: one loop per server (not per
 * page) looks once a second at the ledger's latest cycle and, while a page
 * listens, at the cycles running in Temporal, and tells every open page
 * through server-sent events (`cycle` when a new report is recorded,
 * `progress` while a cycle runs). Server-sent events rather than polling or
 * WebSockets: one-way is all the page needs, the browser reconnects by
 * itself, and a page costs the server one idle connection. A new cycle also
 * clears the answers kept in the cache.
 */
import type { ProgressAnswer } from './api-types.js';
import type { AnswerCache } from './answer-cache.js';
import type { DashboardSources } from './sources.js';

export type Listener = (event: string, data: unknown) => void;

export const EVENTS_EVERY_MS = 1_000;

export class EventHub {
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | undefined;
  private latest: string | undefined;
  private lastProgress = '[]';
  private ticking = false;

  constructor(
    private readonly sources: DashboardSources,
    private readonly cache: AnswerCache,
    private readonly urlOf: (cycleId: string) => string,
    private readonly everyMs = EVENTS_EVERY_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.everyMs);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    clearInterval(this.timer);
    this.listeners.clear();
  }

  /** Adds a page; returns how to remove it. */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listening(): number {
    return this.listeners.size;
  }

  private emit(event: string, data: unknown): void {
    for (const listener of this.listeners) listener(event, data);
  }

  private async tick(): Promise<void> {
    if (this.ticking) return; // a slow ledger or Temporal: never two looks at once
    this.ticking = true;
    try {
      const [latest] = await this.sources.ledger.recentCycles(1).catch(() => []);
      if (latest && latest.cycleId !== this.latest) {
        const first = this.latest === undefined;
        this.latest = latest.cycleId;
        this.cache.clear();
        if (!first) this.emit('cycle', { cycleId: latest.cycleId });
      }
      if (this.listeners.size === 0) return;
      const running: ProgressAnswer['running'] = (await this.sources.running()).map((r) => ({
        ...r,
        cycleUrl: this.urlOf(r.cycleId),
      }));
      const text = JSON.stringify(running);
      if (text !== this.lastProgress || running.length > 0) this.emit('progress', { running });
      this.lastProgress = text;
    } finally {
      this.ticking = false;
    }
  }
}
