/**
 * @module
 * What the analysis produces: a ranked trading signal.
 */
import type { Timeframe } from '../core/timeframes.js';

export const DIRECTIONS = ['LONG', 'SHORT'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export interface Signal {
  symbol: string;
  direction: Direction;
  /** 0-100: how many of the rules agree, and how strongly. */
  score: number;
  reasons: string[];
  price: number;
  stop: number;
  target: number;
  /** The timeframes whose rules agree with the direction. */
  timeframes: Timeframe[];
  /** Open time of the last closed candle of the trigger timeframe. */
  candleTime: number;
}
