/**
 * @module
 * A symbol's price path, one-minute bars computable in any order.
 *
 * Time is cut into 4-hour blocks. A sequential pass over blocks (cheap: a few
 * hashes each) decides each block's regime, volatility and net log-price
 * change; the minutes inside a block are a random walk bridged to that
 * change. Regimes (ranges, trends both ways, squeezes, volatility bursts with
 * volume) last several blocks, so trends show on 1h and momentum on 15m and
 * 5m. A common market factor correlates the symbols. Every random number is a
 * hash of (symbol seed, time, purpose): a bar never changes once drawn.
 */
import { exponentialOf, mix, normalAt, normalOf, unitAt } from './rng.js';
import { GENESIS_MS, type ListedSymbol } from './universe.js';
import { MINUTE_MS } from './intervals.js';

export const BLOCK_MINUTES = 240;
const CHECKPOINT_EVERY = 64;
const GENESIS_MINUTE = GENESIS_MS / MINUTE_MS;

/** Columns of a block's bar table, one row per minute. */
export const OPEN = 0;
export const HIGH = 1;
export const LOW = 2;
export const CLOSE = 3;
/** Volume in whole quantity steps (an integer, so sums are exact). */
export const VOLUME = 4;
/** Taker buy volume in whole quantity steps. */
export const TAKER_BUY = 5;
export const COLUMNS = 6;

/** Intraday volume seasonality by UTC hour: busiest around 14:00, quietest around 02:00. */
const SEASON = Float64Array.from(
  { length: 24 },
  (_, hour) => 1 + 0.35 * Math.sin((2 * Math.PI * (hour - 8)) / 24),
);

const enum Regime {
  Range,
  TrendUp,
  TrendDown,
  Squeeze,
  Burst,
}

/** Per regime: probability, length range in blocks, volatility factor, volume factor. */
const REGIMES: ReadonlyArray<{ p: number; minLen: number; maxLen: number; vol: number; volume: number }> = [
  { p: 0.32, minLen: 3, maxLen: 12, vol: 0.8, volume: 0.8 },
  { p: 0.21, minLen: 3, maxLen: 15, vol: 1.0, volume: 1.2 },
  { p: 0.21, minLen: 3, maxLen: 15, vol: 1.1, volume: 1.3 },
  { p: 0.14, minLen: 2, maxLen: 6, vol: 0.45, volume: 0.6 },
  { p: 0.12, minLen: 1, maxLen: 3, vol: 2.6, volume: 2.8 },
];

// Purposes, so that different draws at the same time are independent.
const SALT = {
  regime: 11,
  length: 12,
  strength: 13,
  sigma: 14,
  change: 15,
  volume: 16,
  sign: 17,
  step: 21,
  wicks: 22,
  volume2: 23,
  spikeSize: 26,
} as const;

/** Scratch space for a block's random walk (bars() is synchronous, so one buffer serves all). */
const WALK = new Float64Array(BLOCK_MINUTES + 1);

interface BlockState {
  /** Log price at the block's start. */
  x: number;
  regime: Regime;
  remaining: number;
  anchor: number;
  strength: number;
}

/** What a block is: where it starts, how far it moves, how wild it is. */
export interface BlockPlan {
  base: number;
  change: number;
  sigma: number;
  volumeFactor: number;
}

export class PricePath {
  private readonly checkpoints: BlockState[];
  private readonly logRef: number;
  /** Mean volume of one minute, in quantity steps. */
  private readonly minuteSteps: number;

  constructor(
    readonly symbol: ListedSymbol,
    private readonly marketSeed: number,
  ) {
    this.logRef = Math.log(symbol.refPrice);
    this.checkpoints = [
      { x: this.logRef, regime: Regime.Range, remaining: 0, anchor: this.logRef, strength: 0 },
    ];
    this.minuteSteps = (symbol.dailyQuoteVolume / symbol.refPrice / 1440) * 10 ** symbol.quantityPrecision;
  }

  /** Index of the block holding minute-aligned time `t`. */
  static blockOf(t: number): number {
    return Math.floor((t / MINUTE_MS - GENESIS_MINUTE) / BLOCK_MINUTES);
  }

  static blockStartMs(block: number): number {
    return (GENESIS_MINUTE + block * BLOCK_MINUTES) * MINUTE_MS;
  }

  /** Plans of the blocks first..last, stepping once through them. */
  plans(first: number, last: number): BlockPlan[] {
    let state = this.stateAt(first);
    const plans: BlockPlan[] = [];
    for (let b = first; b <= last; b++) {
      const { plan, next } = this.step(state, b);
      plans.push(plan);
      state = next;
    }
    return plans;
  }

  private stateAt(block: number): BlockState {
    const c = Math.floor(block / CHECKPOINT_EVERY);
    while (this.checkpoints.length <= c) {
      let state = this.checkpoints[this.checkpoints.length - 1]!;
      const first = (this.checkpoints.length - 1) * CHECKPOINT_EVERY;
      for (let b = first; b < first + CHECKPOINT_EVERY; b++) state = this.step(state, b).next;
      this.checkpoints.push(state);
    }
    let state = this.checkpoints[c]!;
    for (let b = c * CHECKPOINT_EVERY; b < block; b++) state = this.step(state, b).next;
    return state;
  }

  private step(state: BlockState, b: number): { plan: BlockPlan; next: BlockState } {
    const seed = this.symbol.pathSeed;
    let { regime, remaining, anchor, strength } = state;
    const { x } = state;
    if (remaining <= 0) {
      let u = unitAt(seed, b, SALT.regime);
      let index = 0;
      while (index < REGIMES.length - 1 && u > REGIMES[index]!.p) u -= REGIMES[index++]!.p;
      regime = index;
      const r = REGIMES[regime]!;
      remaining = r.minLen + Math.floor(unitAt(seed, b, SALT.length) * (r.maxLen - r.minLen + 1));
      anchor = x;
      strength = 0.4 + 0.8 * unitAt(seed, b, SALT.strength);
    }
    const r = REGIMES[regime]!;
    const sigma = this.symbol.minuteVol * r.vol * (0.85 + 0.3 * unitAt(seed, b, SALT.sigma));
    const blockSd = sigma * Math.sqrt(BLOCK_MINUTES);
    let drift: number;
    switch (regime) {
      case Regime.TrendUp:
        drift = strength * blockSd;
        break;
      case Regime.TrendDown:
        drift = -strength * blockSd;
        break;
      case Regime.Burst:
        drift = (unitAt(seed, b, SALT.sign) < 0.5 ? -1 : 1) * strength * blockSd;
        break;
      default:
        drift = -0.45 * (x - anchor);
    }
    const longRun = -0.003 * (x - this.logRef);
    const market = this.symbol.beta * 0.004 * normalAt(this.marketSeed, b, 0);
    const change = drift + longRun + market + 0.5 * blockSd * normalAt(seed, b, SALT.change);
    const volumeFactor = r.volume * (0.8 + 0.4 * unitAt(seed, b, SALT.volume));
    return {
      plan: { base: x, change, sigma, volumeFactor },
      next: { x: x + change, regime, remaining: remaining - 1, anchor, strength },
    };
  }

  /** A block's one-minute bars: BLOCK_MINUTES rows of COLUMNS values. */
  bars(block: number, plan: BlockPlan): Float64Array {
    const { base, change, sigma, volumeFactor } = plan;
    const seed = this.symbol.pathSeed;
    const firstMinute = GENESIS_MINUTE + block * BLOCK_MINUTES;
    const walk = WALK;
    for (let k = 1; k <= BLOCK_MINUTES; k++) {
      walk[k] = walk[k - 1]! + sigma * normalAt(seed, firstMinute + k - 1, SALT.step);
    }
    const correction = change - walk[BLOCK_MINUTES]!;
    const out = new Float64Array(BLOCK_MINUTES * COLUMNS);
    const wickScale = sigma * 0.6;
    const volumeScale = this.minuteSteps * 0.6 * volumeFactor;
    let open = Math.exp(base);
    for (let k = 0; k < BLOCK_MINUTES; k++) {
      const minute = firstMinute + k;
      const close = Math.exp(base + walk[k + 1]! + (correction * (k + 1)) / BLOCK_MINUTES);
      // Two draws from each 32-bit hash: the hot loop of the simulator.
      const wicks = mix(seed, minute, SALT.wicks);
      const volumeBits = mix(seed, minute, SALT.volume2);
      // Wicks are a fraction of a percent: 1 + w is exp(w) to well within a tick.
      const wickUp = exponentialOf(wicks) * wickScale;
      const wickDown = exponentialOf(wicks >>> 16) * wickScale;
      const move = (close - open) / open / sigma;
      const spike = volumeBits >>> 16 < 197 ? 4 + 8 * unitAt(seed, minute, SALT.spikeSize) : 1; // 0.3% of minutes
      const noise = 1 + 0.35 * normalOf(volumeBits);
      const volume = Math.max(
        1,
        Math.round(
          volumeScale *
            SEASON[Math.floor(minute / 60) % 24]! *
            Math.max(0.3, noise) *
            (1 + 0.8 * Math.abs(move)) *
            spike,
        ),
      );
      const buyShare = 0.5 + (0.15 * move) / (1 + Math.abs(move));
      const row = k * COLUMNS;
      out[row + OPEN] = open;
      out[row + HIGH] = Math.max(open, close) * (1 + wickUp);
      out[row + LOW] = Math.min(open, close) / (1 + wickDown);
      out[row + CLOSE] = close;
      out[row + VOLUME] = volume;
      out[row + TAKER_BUY] = Math.round(volume * buyShare);
      open = close;
    }
    return out;
  }
}
