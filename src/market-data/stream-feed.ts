/**
 * @module
 * The pipeline's second tier: kline streams for every symbol × timeframe
 * over ccxt.pro's connections, writing each final kline (Binance's `x: true`
 * event, about 2 s after the close on USDⓈ-M futures) into the candle store,
 * so that the next cycle finds the series fresh without a request.
 *
 * Binance pushes every stream about every 250 ms while its candle changes:
 * about 6,400 messages a second for 530 symbols × 3 timeframes, of which the
 * scanner needs one per candle. The feed therefore looks at each message as
 * ccxt.pro's connection receives it, on each instance of ours (ccxt itself is
 * unmodified): a forming candle's update (`"x":false`) is dropped before ccxt
 * parses it (JSON parsing was most of the worker's stream CPU:
 * docs/performance.md), and a final kline is taken from the event itself
 * (its `handleOHLCV`, replaced). The event's own `x` flag is what says a
 * candle is final: ccxt's cache keeps no such flag, and a candle followed by
 * the next one may not have had its last trades yet.
 *
 * A stream only extends a series REST has seeded; one that falls silent, or
 * whose final kline was missed, stops extending it (the series goes stale
 * and REST answers). A dropped connection reconnects with backoff and
 * resubscribes; each connection runs on its own.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Ohlcv, validateCandles } from '../core/candles.js';
import { timeframeMs, type Timeframe } from '../core/timeframes.js';
import type { BinanceUsdm } from '../exchange/ccxt-factory.js';
import type { CandleStore } from '../storage/candle-store.js';
import { mergeCandles, storeTtlMs } from './freshness.js';

export interface StreamFeedOptions {
  /** A new ccxt.pro instance: each holds one connection. */
  connect: () => Promise<BinanceUsdm>;
  store: CandleStore;
  /** Timeframes streamed for every symbol followed. */
  timeframes: readonly Timeframe[];
  /** Closed candles kept per series (the pipeline's limit − 1). */
  keep: number;
  /** Streams per connection (tests use fewer). */
  streamsPerConnection?: number;
  reconnectBaseMs?: number;
  /** Called with how late (ms, by `now`: the exchange clock) each closed candle reached the store. */
  onDelivered?: (lagMs: number) => void;
  now?: () => number;
}

export interface StreamCounters {
  connections: number;
  reconnects: number;
  /** Kline events received, forming and final. */
  messages: number;
  /** Closed candles written into the store. */
  closedCandles: number;
}

/** The part of a kline event the feed reads (Binance's "Kline/Candlestick Streams"). */
interface KlineEvent {
  /** Event time, by the exchange's clock. */
  E?: number;
  k?: {
    t?: number;
    s?: string;
    i?: string;
    o?: string;
    h?: string;
    l?: string;
    c?: string;
    v?: string;
    x?: boolean;
  };
}

/** A final kline now in the store: which series, its candle's open time, and when the exchange sent it. */
export interface FinalKline {
  symbol: string;
  timeframe: Timeframe;
  openTime: number;
  /** The event's time by the exchange's clock (its lateness after the close needs no clock of ours). */
  eventTime: number;
}

type KlineHandler = (client: unknown, message: KlineEvent) => void;

/** What the feed touches of a ccxt.pro instance's connections. */
interface MessageClient {
  onMessage(event: { data: unknown }): void;
}

/** A forming candle's update, told from the raw frame (Binance writes `"x":false` without spaces). */
function isFormingKline(data: unknown): boolean {
  return (
    (typeof data === 'string' || Buffer.isBuffer(data)) &&
    data.includes('"x":false') &&
    data.includes('"e":"kline"')
  );
}

const key = (symbol: string, timeframe: Timeframe) => `${symbol}|${timeframe}`;

/**
 * Streams per connection: as many as Binance allows (1,024 since 2025-07),
 * with a margin. Each connection is a ccxt.pro instance of its own, with its
 * own copy of the listing: fewer of them is less memory and CPU (1,590
 * streams on 2 connections instead of 8: docs/performance.md).
 */
const STREAMS_PER_CONNECTION = 1_000;

export class StreamFeed {
  readonly counters: StreamCounters = { connections: 0, reconnects: 0, messages: 0, closedCandles: 0 };
  private running = true;
  private loops: Array<Promise<void>> = [];
  private readonly exchanges = new Set<BinanceUsdm>();
  /** Open time of the last closed candle each stream delivered. */
  private readonly delivered = new Map<string, number>();
  private readonly subscribed = new Set<string>();
  /** Symbols followed on each timeframe: asked for at every final kline (the close trigger), so kept, not counted. */
  private readonly followedOn = new Map<Timeframe, number>();
  private readonly finalListeners: Array<(final: FinalKline) => void> = [];
  /** Reads waiting for a series' final kline (untilDelivered), by series. */
  private readonly waiters = new Map<string, Array<{ openTime: number; settle: (came: boolean) => void }>>();
  /** Connections (loops) that have received at least one event. */
  private liveLoops = 0;
  /** Cuts reconnect backoffs short on stop. */
  private readonly stopping = new AbortController();

  constructor(private readonly options: StreamFeedOptions) {}

  /**
   * Resolves once every connection has received its first event, or after
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
   * connections; returns how many it added. Called with each listing the
   * worker loads, so a new listing joins within a refresh. A delisted
   * symbol's stream simply falls silent; its slot is given back when the
   * worker restarts.
   */
  follow(symbols: readonly string[]): number {
    if (!this.running) return 0;
    const added = symbols
      .flatMap((symbol) => this.options.timeframes.map((tf): [string, Timeframe] => [symbol, tf]))
      .filter(([symbol, tf]) => !this.subscribed.has(key(symbol, tf)));
    for (const [symbol, tf] of added) {
      this.subscribed.add(key(symbol, tf));
      this.followedOn.set(tf, (this.followedOn.get(tf) ?? 0) + 1);
    }
    const size = this.options.streamsPerConnection ?? STREAMS_PER_CONNECTION;
    for (let i = 0; i < added.length; i += size) this.loops.push(this.run(added.slice(i, i + size)));
    return added.length;
  }

  /** Calls `listener` with each final kline, once it is in the store (the close trigger counts them). */
  onFinal(listener: (final: FinalKline) => void): void {
    this.finalListeners.push(listener);
  }

  /** Symbols followed on `timeframe`. */
  followed(timeframe: Timeframe): number {
    return this.followedOn.get(timeframe) ?? 0;
  }

  /** True if the stream delivered this series' candle opening at `openTime`. */
  hasDelivered(symbol: string, timeframe: Timeframe, openTime: number): boolean {
    return this.delivered.get(key(symbol, timeframe)) === openTime;
  }

  /** True if the series is streamed (subscribed, whether or not its connection is up right now). */
  follows(symbol: string, timeframe: Timeframe): boolean {
    return this.running && this.subscribed.has(key(symbol, timeframe));
  }

  /**
   * Resolves true once the series' candle opening at `openTime` (or a later
   * one) is in the store, false after `timeoutMs` without it: a read can wait
   * for a final kline that is on its way instead of asking REST for it.
   */
  untilDelivered(
    symbol: string,
    timeframe: Timeframe,
    openTime: number,
    timeoutMs: number,
  ): Promise<boolean> {
    const k = key(symbol, timeframe);
    if ((this.delivered.get(k) ?? 0) >= openTime) return Promise.resolve(true);
    if (!this.running || timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiting = this.waiters.get(k) ?? [];
      this.waiters.set(k, waiting);
      const waiter = {
        openTime,
        settle: (came: boolean) => {
          clearTimeout(timer);
          const left = (this.waiters.get(k) ?? []).filter((w) => w !== waiter);
          if (left.length > 0) this.waiters.set(k, left);
          else this.waiters.delete(k);
          resolve(came);
        },
      };
      const timer = setTimeout(() => waiter.settle(false), timeoutMs);
      waiting.push(waiter);
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const waiting of [...this.waiters.values()]) for (const w of waiting) w.settle(false);
    this.stopping.abort();
    await Promise.allSettled([...this.exchanges].map((e) => e.close()));
    // A watch pending on a closed connection may never settle: do not wait for it past a moment.
    await Promise.race([Promise.allSettled(this.loops), new Promise((r) => setTimeout(r, 2_000).unref())]);
  }

  private async run(pairs: Array<[string, Timeframe]>): Promise<void> {
    let attempt = 0;
    let live = false;
    const markLive = () => {
      attempt = 0;
      if (live) return;
      live = true;
      this.liveLoops++;
    };
    while (this.running) {
      let exchange: BinanceUsdm | undefined;
      try {
        exchange = await this.options.connect();
        this.exchanges.add(exchange);
        this.counters.connections++;
        // The stream ids are the exchange's market ids (watchOHLCVForSymbols would load them too).
        await exchange.loadMarkets();
        this.takeFinals(exchange, pairs, markLive);
        // Subscribes; it settles only when the connection fails (the events are taken above, not through it).
        await exchange.watchOHLCVForSymbols(pairs);
      } catch {
        if (!this.running) return;
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

  /**
   * On this instance: every connection drops forming updates unparsed, and
   * the kline handler sends final klines to the store.
   */
  private takeFinals(exchange: BinanceUsdm, pairs: Array<[string, Timeframe]>, markLive: () => void): void {
    const instance = exchange as unknown as { client(url: string): MessageClient };
    const clientFor = instance.client.bind(exchange);
    const fast = new WeakSet<MessageClient>();
    instance.client = (url) => {
      const client = clientFor(url);
      if (fast.has(client)) return client;
      fast.add(client);
      const parseAndHandle = client.onMessage.bind(client);
      client.onMessage = (event) => {
        if (!isFormingKline(event.data)) return parseAndHandle(event);
        this.counters.messages++;
        markLive();
      };
      return client;
    };
    const byStream = new Map<string, [string, Timeframe]>();
    for (const [symbol, timeframe] of pairs)
      byStream.set(`${exchange.market(symbol).id}|${timeframe}`, [symbol, timeframe]);
    const handler: KlineHandler = (_client, message) => {
      this.counters.messages++;
      markLive();
      const k = message?.k;
      if (k?.x !== true) return;
      const stream = byStream.get(`${k.s}|${k.i}`);
      if (!stream) return;
      const candle = [k.t, k.o, k.h, k.l, k.c, k.v].map(Number) as Ohlcv;
      void this.absorb(stream[0], stream[1], candle, Number(message.E)).catch(() => {});
    };
    (exchange as unknown as { handleOHLCV: KlineHandler }).handleOHLCV = handler;
  }

  /** Writes one final kline into the store, where it extends the stored series. */
  private async absorb(
    symbol: string,
    timeframe: Timeframe,
    candle: Ohlcv,
    eventTime: number,
  ): Promise<void> {
    const k = key(symbol, timeframe);
    if (candle[0] <= (this.delivered.get(k) ?? 0)) return;
    // Checked like any candle entering the product (a bad one throws, and is dropped by the caller).
    const [valid] = validateCandles(symbol, timeframe, [candle]);
    const stored = await this.options.store.get(symbol, timeframe);
    if (!stored) return; // REST seeds a series; a stream only extends it
    // A gap between them (a final kline missed): leave the series to go stale, and REST to refill it.
    const merged = mergeCandles(stored.candles, [valid!], timeframe, this.options.keep);
    if (!merged) return;
    await this.options.store.set(symbol, timeframe, merged, storeTtlMs(timeframe));
    this.delivered.set(k, candle[0]);
    this.counters.closedCandles++;
    for (const w of this.waiters.get(k) ?? []) if (w.openTime <= candle[0]) w.settle(true);
    for (const listener of this.finalListeners)
      listener({ symbol, timeframe, openTime: candle[0], eventTime });
    // By the exchange clock as last measured: exact on a real-time exchange (an
    // accelerated simulator runs ahead of it, so the lag is floored at zero).
    this.options.onDelivered?.(
      Math.max(0, (this.options.now ?? Date.now)() - (candle[0] + timeframeMs(timeframe))),
    );
  }
}
