/**
 * @module
 * Deterministic randomness for the simulator. Candles must be a pure function
 * of (seed, symbol, time) so that any candle can be computed on its own, in
 * any order, and is the same in every run: counter-based hashing instead of a
 * sequential generator.
 */
/** A 32-bit hash of a string (FNV-1a), used to turn seeds and names into integers. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mixes three 32-bit integers into one well-distributed 32-bit integer (murmur3 finalizer). */
export function mix(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= Math.imul(c ^ (h >>> 15), 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in the open interval (0, 1), the same for the same inputs. */
export function unitAt(a: number, b: number, c: number): number {
  return (mix(a, b, c) + 0.5) / 4294967296;
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation,
 * relative error < 1.2e-9), for p in (0, 1).
 */
function inverseNormalCdf(p: number): number {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
    -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * Normal quantiles at 2^16 evenly spaced probabilities: one hash and one
 * lookup per draw instead of two hashes and three transcendental functions.
 * Generating a minute bar is the simulator's hot loop.
 */
const NORMAL_TABLE = Float64Array.from({ length: 65536 }, (_, i) => inverseNormalCdf((i + 0.5) / 65536));

/** Standard exponential quantiles, likewise. */
const EXPONENTIAL_TABLE = Float64Array.from({ length: 65536 }, (_, i) => -Math.log(1 - (i + 0.5) / 65536));

/** A standard exponential number (mean 1) from 16 random bits. */
export function exponentialOf(bits16: number): number {
  return EXPONENTIAL_TABLE[bits16 & 0xffff]!;
}

/** A standard normal number from 16 random bits. */
export function normalOf(bits16: number): number {
  return NORMAL_TABLE[bits16 & 0xffff]!;
}

/** A standard normal number (to 2^-16 in probability), the same for the same inputs. */
export function normalAt(a: number, b: number, c: number): number {
  return NORMAL_TABLE[mix(a, b, c) >>> 16]!;
}

/** A small sequential generator (mulberry32) for things drawn in order, such as fault injection. */
export function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
