import { setTimeout as sleep } from 'node:timers/promises';
import type { CandleStore } from '../cache/candle-store.js';
import type { BinanceUsdm } from '../exchange/ccxt-factory.js';
import { timeframeMs } from '../scan/timeframes.js';
import type { Timeframe } from '../scan/types.js';
import { mergeCandles } from './freshness.js';
import type { Ohlcv } from './validate-candles.js';

export interface StreamFeedOptions {
  /** A new ccxt.pro instance: each holds one connection (Binance: 200 streams each). */
  connect: () => Promise<BinanceUsdm>;
  store: CandleStore;
  /** Timeframes streamed for every symbol followed. */
  timeframes: readonly Timeframe[];
  /** Closed candles kept per series (the pipeline's limit − 1). */
  keep: number;
  streamsPerConnection?: number;
  reconnectBaseMs?: number;
  /** Called with how late (ms, by `now`: the exchange clock) each closed candle reached the store. */
  onDelivered?: (lagMs: number) => void;
  now?: () => number;
}

export interface StreamCounters {
  connections: number;
  reconnects: number;
  /** Closed candles written into the store. */
  closedCandles: number;
  /** Updates that did not join the stored series (a gap: REST will refill it). */
  gaps: number;
  errors: number;
}

const key = (symbol: string, timeframe: Timeframe) => `${symbol}|${timeframe}`;

/**
 * The pipeline's second tier: ccxt.pro kline streams for every symbol ×
 * timeframe, as few connections as the exchange allows, writing each closed
 * candle into the candle store so that the next cycle finds the series fresh
 * without a request. A stream only extends a series REST has seeded; one
 * that falls silent simply stops extending it (the series goes stale and
 * REST answers). A dropped connection reconnects with backoff and
 * resubscribes; each connection runs on its own, so one bad stream never
 * takes the others down.
 */
export class StreamFeed {
  readonly counters: StreamCounters = { connections: 0, reconnects: 0, closedCandles: 0, gaps: 0, errors: 0 };
  private running = true;
  private loops: Array<Promise<void>> = [];
  private readonly exchanges = new Set<BinanceUsdm>();
  /** Open time of the last closed candle each stream delivered. */
  private readonly delivered = new Map<string, number>();
  private readonly subscribed = new Set<string>();
  /** Connections (loops) that have delivered at least one update. */
  private liveLoops = 0;
  /** Cuts reconnect backoffs short on stop. */
  private readonly stopping = new AbortController();

  constructor(private readonly options: StreamFeedOptions) {}

  /**
   * Resolves once every connection has delivered its first update, or after
   * `timeoutMs` (an exchange whose streams are down must not hold a worker back).
   */
  async whenLive(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.liveLoops < this.loops.length) {
      if (Date.now() > deadline || !this.running) return false;
      await sleep(50);
    }
    return true;
  }

  /** Streams subscribed (or being subscribed), over every connection. */
  get size(): number {
    return this.subscribed.size;
  }

  /**
   * Streams every timeframe of the symbols not streamed yet, on new
   * connections of up to 200 streams; returns how many it added. Called with
   * the universe at start and at each cycle's listing, so a new listing joins
   * within a cycle. A delisted symbol's stream simply falls silent; its slot
   * is given back when the worker restarts.
   */
  follow(symbols: readonly string[]): number {
    if (!this.running) return 0;
    const added = symbols
      .flatMap((symbol) => this.options.timeframes.map((tf): [string, Timeframe] => [symbol, tf]))
      .filter(([symbol, tf]) => !this.subscribed.has(key(symbol, tf)));
    for (const [symbol, tf] of added) this.subscribed.add(key(symbol, tf));
    const size = this.options.streamsPerConnection ?? 200;
    for (let i = 0; i < added.length; i += size) this.loops.push(this.run(added.slice(i, i + size)));
    return added.length;
  }

  /** True if the stream delivered this series' candle opening at `openTime`. */
  hasDelivered(symbol: string, timeframe: Timeframe, openTime: number): boolean {
    return this.delivered.get(key(symbol, timeframe)) === openTime;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    await Promise.allSettled([...this.exchanges].map((e) => e.close()));
    // A watch pending on a closed connection may never settle: do not wait for it past a moment.
    await Promise.race([Promise.allSettled(this.loops), new Promise((r) => setTimeout(r, 2_000).unref())]);
  }

  private async run(pairs: Array<[string, Timeframe]>): Promise<void> {
    let attempt = 0;
    let live = false;
    while (this.running) {
      let exchange: BinanceUsdm | undefined;
      try {
        exchange = await this.options.connect();
        this.exchanges.add(exchange);
        this.counters.connections++;
        for (;;) {
          // Resolves with the first series of a burst of updates; the others were
          // cached meanwhile (ccxt resolves only the waiting watch): look at every series.
          await exchange.watchOHLCVForSymbols(pairs);
          if (!this.running) return;
          attempt = 0;
          if (!live) {
            live = true;
            this.liveLoops++;
          }
          for (const [symbol, timeframe] of pairs) await this.absorb(exchange, symbol, timeframe);
        }
      } catch {
        if (!this.running) return;
        this.counters.errors++;
        this.counters.reconnects++;
        const base = this.options.reconnectBaseMs ?? 500;
        const delay = Math.min(30_000, base * 2 ** attempt++) * (0.5 + Math.random());
        await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => {});
      } finally {
        if (exchange) {
          this.exchanges.delete(exchange);
          this.counters.connections--;
          await exchange.close().catch(() => {});
        }
      }
    }
  }

  /** Writes the candles of one series that closed since the last look into the store. */
  private async absorb(exchange: BinanceUsdm, symbol: string, timeframe: Timeframe): Promise<void> {
    const cached = exchange.ohlcvs?.[symbol]?.[timeframe] as Ohlcv[] | undefined;
    if (!cached || cached.length < 2) return;
    const deliveredAt = this.delivered.get(key(symbol, timeframe)) ?? 0;
    // Most looks find nothing new: decide that before copying anything.
    if (cached[cached.length - 2]![0] <= deliveredAt) return;
    // The newest candle is the forming one; the ones before it have closed.
    const closed = cached
      .slice(0, -1)
      .filter((c) => c.every((v) => typeof v === 'number' && Number.isFinite(v)));
    const last = closed[closed.length - 1];
    if (!last || last[0] <= deliveredAt) return;
    const stored = await this.options.store.get(symbol, timeframe);
    if (!stored) return; // REST seeds a series; a stream only extends it
    const merged = mergeCandles(stored.candles, closed, timeframe, this.options.keep);
    if (!merged) {
      this.counters.gaps++;
      return;
    }
    await this.options.store.set(
      symbol,
      timeframe,
      merged,
      Math.min(2 * 86_400_000, 50 * timeframeMs(timeframe)),
    );
    this.delivered.set(key(symbol, timeframe), last[0]);
    this.counters.closedCandles++;
    // By the exchange clock as last measured: exact on a real-time exchange (an
    // accelerated simulator runs ahead of it, so the lag is floored at zero).
    this.options.onDelivered?.(
      Math.max(0, (this.options.now ?? Date.now)() - (last[0] + timeframeMs(timeframe))),
    );
  }
}
