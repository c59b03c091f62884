import type { Signal } from '../analysis/signal.js';

/** Best first: higher score, then more agreeing timeframes, then symbol name (deterministic). */
export function rankSignals(signals: readonly Signal[]): Signal[] {
  return [...signals].sort(
    (a, b) =>
      b.score - a.score ||
      b.timeframes.length - a.timeframes.length ||
      (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0),
  );
}
