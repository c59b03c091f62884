/**
 * Parameters of the signal rules. Defaults are the ones documented in the
 * README ("Signal rules"); every one can be overridden.
 */
export interface RuleParams {
  /** 1h trend: fast and slow EMA of closes. */
  trendFastEma: number;
  trendSlowEma: number;
  /** 15m momentum: RSI period, and the band a LONG needs (a SHORT mirrors it around 50). */
  rsiPeriod: number;
  rsiLongMin: number;
  rsiLongMax: number;
  /** 5m trigger: close above the highest high (below the lowest low) of this many previous candles... */
  breakoutLookback: number;
  /** ...or a close crossing this EMA in the direction of the trend. */
  triggerEma: number;
  /** ATR (Wilder) period on the trigger timeframe, and the stop and target in ATRs. */
  atrPeriod: number;
  stopAtr: number;
  targetAtr: number;
  /** Volume confirmation: last volume over the mean of the lookback. */
  volumeSpike: number;
  /** Signals scoring below this are dropped. */
  minScore: number;
}

export const DEFAULT_RULE_PARAMS: RuleParams = {
  trendFastEma: 21,
  trendSlowEma: 50,
  rsiPeriod: 14,
  rsiLongMin: 52,
  rsiLongMax: 75,
  breakoutLookback: 12,
  triggerEma: 9,
  atrPeriod: 14,
  stopAtr: 1.5,
  targetAtr: 3,
  volumeSpike: 1.5,
  minScore: 40,
};
