/**
 * @module
 * Parameters of the signal rules: one schema gives their types, ranges and
 * defaults (the README's "Signal rules"), and validates SCAN_RULES.
 */
import { z } from 'zod';

const period = z.number().int().min(1).max(500);

export const ruleParamsSchema = z
  .object({
    /** 1h trend: fast and slow EMA of closes. */
    trendFastEma: period.default(21),
    trendSlowEma: period.default(50),
    /** 15m momentum: RSI period, and the band a LONG needs (a SHORT mirrors it around 50). */
    rsiPeriod: period.default(14),
    rsiLongMin: z.number().min(50).max(100).default(52),
    rsiLongMax: z.number().min(50).max(100).default(75),
    /** 5m trigger: close above the highest high (below the lowest low) of this many previous candles... */
    breakoutLookback: period.default(12),
    /** ...or a close crossing this EMA in the direction of the trend. */
    triggerEma: period.default(9),
    /** ATR (Wilder) period on the trigger timeframe, and the stop and target in ATRs. */
    atrPeriod: period.default(14),
    stopAtr: z.number().positive().max(100).default(1.5),
    targetAtr: z.number().positive().max(100).default(3),
    /** Volume confirmation: last volume over the mean of the lookback. */
    volumeSpike: z.number().positive().max(1000).default(1.5),
    /** Signals scoring below this are dropped. */
    minScore: z.number().min(0).max(100).default(40),
  })
  // Unknown names are refused: a typo must not silently leave a default in place.
  .strict();

export type RuleParams = z.infer<typeof ruleParamsSchema>;

export const DEFAULT_RULE_PARAMS: RuleParams = ruleParamsSchema.parse({});
