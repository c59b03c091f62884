/**
 * @module
 * A cycle's input, checked once at its start: a bad one fails the cycle at
 * once, with its reason, and is never retried.
 */
import { patched } from '@temporalio/workflow';
import { ConfigError } from '../core/errors.js';
import { BATCH_SIZE, CANDLE_LIMIT, inRange, type IntegerRange } from '../core/limits.js';
import { DEFAULT_TIMEFRAMES, isTimeframe, largestFirst, type Timeframe } from '../core/timeframes.js';
import { toTemporalFailure } from '../contract/failures.js';
import type { ScanInput, Trigger } from '../contract/types.js';
import { DEFAULT_BATCH_SIZE } from './patches.js';

/** What a cycle without a batch size was scanned in before the patch DEFAULT_BATCH_SIZE. */
const BATCH_SIZE_BEFORE_2026_12 = 64;

export interface CycleSettings {
  trigger: Trigger;
  /** Scanning the whole filtered universe, not symbols it was asked for (report.wholeUniverse). */
  wholeUniverse: boolean;
  /** Largest first: trend, then momentum, then trigger. */
  timeframes: Timeframe[];
  candleLimit: number;
  batchSize: number;
}

function invalid(message: string): unknown {
  return toTemporalFailure(new ConfigError(message));
}

function checked(chosen: number, range: IntegerRange, what: string): number {
  if (!inRange(chosen, range)) throw invalid(`${what} ${chosen} outside ${range.min}..${range.max}`);
  return chosen;
}

export function cycleSettings(input: ScanInput): CycleSettings {
  const timeframes = input.timeframes ?? DEFAULT_TIMEFRAMES;
  if (timeframes.length === 0 || !timeframes.every((t) => isTimeframe(t)))
    throw invalid(`unsupported timeframes: ${timeframes.join(',')}`);
  return {
    trigger: input.trigger ?? 'adhoc',
    wholeUniverse: !input.symbols?.length,
    timeframes: largestFirst(timeframes),
    candleLimit: checked(input.candleLimit ?? CANDLE_LIMIT.default, CANDLE_LIMIT, 'candle limit'),
    batchSize: checked(
      // Starters pass the configured size; only inputs without one need the patch (recorded histories do).
      input.batchSize ?? (patched(DEFAULT_BATCH_SIZE) ? BATCH_SIZE.default : BATCH_SIZE_BEFORE_2026_12),
      BATCH_SIZE,
      'batch size',
    ),
  };
}
