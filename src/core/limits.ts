/**
 * @module
 * The ranges of a cycle's inputs and their defaults, in one place: the
 * configuration, the client's flags and the cycle workflow's own check of
 * its input all read them from here.
 */

export interface IntegerRange {
  min: number;
  max: number;
  default: number;
}

/**
 * Candles requested per series. 99 is the largest limit Binance still
 * charges weight 1 for (klines: limit < 100); the rules need 60 closed
 * candles at least (EMA50 and its warm-up); Binance serves at most 1500.
 */
export const CANDLE_LIMIT: IntegerRange = { min: 60, max: 1500, default: 99 };

/**
 * Symbols per batch child workflow. Each child costs the worker and the
 * server a fixed amount of work however few its symbols (its workflow
 * tasks, its sandbox, its history): 180 gives a 530-symbol universe three
 * batches, and the fetch concurrency inside each batch keeps a cold one as
 * parallel as the exchange's pace allows (docs/performance.md). Cycles
 * started without a size use this default inside workflow code: changing
 * it needs a patch (src/workflows/patches.ts).
 */
export const BATCH_SIZE: IntegerRange = { min: 1, max: 1000, default: 180 };

/**
 * Symbols fetched at once inside one batch's fetch activity: by default the
 * whole batch in flight, as the batched baseline has every symbol in flight
 * (the weight budget, not this, paces requests to the exchange's limit).
 */
export const FETCH_CONCURRENCY: IntegerRange = { min: 1, max: 1000, default: BATCH_SIZE.default };

export function inRange(value: number, range: IntegerRange): boolean {
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}
