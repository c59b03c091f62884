/**
 * @module
 * One subscribed kline stream (`<symbol>@kline_<interval>`) and what it
 * pushes when, as Binance's "Kline/Candlestick Streams" page and what has
 * been measured on it say:
 *
 * - Updates of the current candle at most every 250 ms, and only "if
 *   existing": an update is pushed only when the candle differs from the one
 *   last pushed (by what the wire shows: prices at the symbol's precision,
 *   volumes, trade count).
 * - The final event of a candle (k.x = true) comes about 2 s after the
 *   candle closed, by the exchange's clock: freqtrade's maintainer measured
 *   it "almost exactly 2s after the candle actually closed" on Binance
 *   futures (freqtrade#11571). Here it is 2 s ± 0.4 s by default, drawn per
 *   stream and candle from the seed.
 * - Between a close and its final event the stream goes on reporting the
 *   candle that closed (x = false; here at most one update, with the
 *   candle's last trades), and the next candle is pushed only after the
 *   final. Binance says nothing either way (the research found no
 *   statement); this is the reading of the measurement: the "candle closed"
 *   message is the old candle's last word, and freqtrade, which waits for
 *   the stream to move on, is 2 s late with it. Had the new candle come
 *   first, a client could take it as the close and not wait at all.
 */
import { priceText, quantityText, quoteVolumeText } from './formats.js';
import { type Interval, isInterval, nextOpenTime, openTimeOf, previousOpenTime } from './intervals.js';
import type { Candle, MarketModel } from './market-model.js';
import { hashString, unitAt } from './rng.js';
import type { ListedSymbol } from './universe.js';

export const KLINE_STREAM = /^([a-z0-9_]+)@kline_([0-9]+[mhdwM])$/;

/**
 * After a jump of the clock (an admin advance, a speed change) a stream sends
 * the finals of at most this many candles, the latest: a jump of days must
 * not flood a connection.
 */
export const MAX_FINALS_PER_TICK = 10;

export interface FinalTiming {
  /** Mean delay of a final event after its candle's close (exchange ms). */
  delayMs: number;
  /** The delay is uniform in delayMs ± jitterMs (never below 0). */
  jitterMs: number;
}

/** The symbol and interval of a kline stream name, when it names a listed symbol. */
export function parseKlineStream(
  name: string,
  find: (id: string) => ListedSymbol | undefined,
): { symbol: ListedSymbol; interval: Interval } | undefined {
  const match = KLINE_STREAM.exec(name);
  if (!match || !isInterval(match[2]!)) return undefined;
  const symbol = find(match[1]!.toUpperCase());
  return symbol ? { symbol, interval: match[2] } : undefined;
}

export class KlineStream {
  /** Open time of the candle the stream reports now (its final not sent yet); unset before the first push. */
  private open: number | undefined;
  /** Exchange time the final of `open` is due. */
  finalDue = Infinity;
  /** The `k` of the last update pushed, to push only changes. */
  private lastK: string | undefined;
  private readonly hash: number;

  constructor(
    readonly name: string,
    readonly symbol: ListedSymbol,
    readonly interval: Interval,
    private readonly seed: number,
    private readonly timing: FinalTiming,
  ) {
    this.hash = hashString(name);
  }

  /** Where in the update cadence this stream is pushed, in [0, 1): its own moments, not everyone's. */
  get phase(): number {
    return unitAt(this.seed, this.hash, 0x5eed);
  }

  /** Forgets what was pushed (the stream fell silent): it starts over with the current candle. */
  reset(): void {
    this.open = undefined;
    this.finalDue = Infinity;
    this.lastK = undefined;
  }

  private delayOf(openTime: number): number {
    const { delayMs, jitterMs } = this.timing;
    const u = unitAt(this.seed ^ this.hash, openTime / 60_000, 0xf1a1);
    return Math.max(0, Math.round(delayMs + jitterMs * (2 * u - 1)));
  }

  private dueOf(openTime: number): number {
    return nextOpenTime(this.interval, openTime) + this.delayOf(openTime);
  }

  /** The candle the stream reports at `now`: the one forming, or the one that closed while its final is pending. */
  private currentAt(now: number): number {
    const forming = openTimeOf(this.interval, now);
    const previous = previousOpenTime(this.interval, forming);
    // A delay is far shorter than any candle (options.ts bounds it), so only the previous one can be pending.
    return now < this.dueOf(previous) ? previous : forming;
  }

  /**
   * The final events due at `now`, oldest first: the candles that closed
   * since the last push and whose delay has passed (the latest
   * MAX_FINALS_PER_TICK of them after a jump of the clock).
   */
  finals(model: MarketModel, now: number): string[] {
    if (this.open === undefined || now < this.finalDue) return [];
    const current = this.currentAt(now);
    const opens: number[] = [];
    for (
      let t = previousOpenTime(this.interval, current);
      t >= this.open;
      t = previousOpenTime(this.interval, t)
    ) {
      opens.push(t);
      if (opens.length === MAX_FINALS_PER_TICK) break;
    }
    this.open = current;
    this.finalDue = this.dueOf(current);
    this.lastK = undefined;
    const events: string[] = [];
    for (const t of opens.reverse()) {
      const candle = model.candle(this.symbol.id, this.interval, t, now);
      if (candle) events.push(this.event(this.k(candle, true), now));
    }
    return events;
  }

  /** The update due at `now`, if the candle changed since the last one pushed (call finals first). */
  update(model: MarketModel, now: number): string | undefined {
    if (this.open === undefined) {
      this.open = this.currentAt(now);
      this.finalDue = this.dueOf(this.open);
    }
    const candle = model.candle(this.symbol.id, this.interval, this.open, now);
    if (!candle) return undefined;
    const k = this.k(candle, false);
    if (k === this.lastK) return undefined;
    this.lastK = k;
    return this.event(k, now);
  }

  private event(k: string, now: number): string {
    return `{"e":"kline","E":${now},"s":"${this.symbol.id}","k":${k}}`;
  }

  /** The `k` object of Binance's kline event, its fields in the order recorded on the wire. */
  private k(c: Candle, final: boolean): string {
    const { symbol } = this;
    return (
      `{"t":${c.openTime},"T":${c.closeTime},"s":"${symbol.id}","i":"${this.interval}",` +
      `"f":${c.firstTradeId},"L":${c.lastTradeId},` +
      `"o":"${priceText(symbol, c.open)}","c":"${priceText(symbol, c.close)}","h":"${priceText(symbol, c.high)}","l":"${priceText(symbol, c.low)}",` +
      `"v":"${quantityText(symbol, c.volumeSteps)}","n":${c.trades},"x":${final},` +
      `"q":"${quoteVolumeText(symbol, c.quoteVolume)}","V":"${quantityText(symbol, c.takerBuySteps)}",` +
      `"Q":"${quoteVolumeText(symbol, c.takerBuyQuote)}","B":"0"}`
    );
  }
}
