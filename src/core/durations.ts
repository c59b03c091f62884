/**
 * @module
 * Durations as people write them in flags and files: a whole number and a
 * unit (`90s`, `10m`, `12h`, `7d`, `2w`). One parser for the client's
 * `--since` and the alerts file's ages.
 */

const UNITS_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

export const DURATION_HINT = 'a positive whole number and a unit: s, m, h, d or w (e.g. 10m, 7d)';

/** The duration in ms, or undefined when `text` is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (!match || Number(match[1]) === 0) return undefined;
  return Number(match[1]) * UNITS_MS[match[2]!]!;
}
