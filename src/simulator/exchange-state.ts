import type { SimClock } from './clock.js';
import { MarketModel } from './market-model.js';
import { buildUniverse, type ListedSymbol } from './universe.js';

/** What the simulated exchange lists right now, its clock and its candles. */
export class ExchangeState {
  readonly universe: readonly ListedSymbol[];
  readonly model: MarketModel;
  private readonly byId: Map<string, ListedSymbol>;
  private delisted = new Set<string>();

  constructor(
    seed: string,
    symbolCount: number,
    readonly clock: SimClock,
  ) {
    this.universe = buildUniverse(seed, symbolCount);
    this.byId = new Map(this.universe.map((s) => [s.id, s]));
    this.model = new MarketModel(seed, this.universe, {
      candleCacheSize: Math.max(600_000, symbolCount * 1200),
    });
  }

  /** A symbol that answers market-data requests (listed, not delisted). */
  live(id: string): ListedSymbol | undefined {
    return this.delisted.has(id) ? undefined : this.byId.get(id);
  }

  isDelisted(id: string): boolean {
    return this.delisted.has(id);
  }

  setDelisted(ids: readonly string[]): void {
    const unknown = ids.filter((id) => !this.byId.has(id));
    if (unknown.length > 0) throw new RangeError(`unknown symbols: ${unknown.join(', ')}`);
    this.delisted = new Set(ids);
  }

  delist(id: string): void {
    this.setDelisted([...this.delisted, id]);
  }
}
