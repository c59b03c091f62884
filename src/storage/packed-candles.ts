/**
 * @module
 * A candle series as one Float64Array (timestamp, open, high, low, close,
 * volume, row after row): the in-process tier holds every series of the
 * universe, and an array of arrays of boxed numbers costs about four times
 * the memory (docs/performance.md, "Worker memory"). Float64 keeps
 * millisecond timestamps and prices exactly.
 */
import type { Ohlcv } from '../core/candles.js';

const FIELDS = 6;

export function packCandles(candles: readonly Ohlcv[]): Float64Array {
  const packed = new Float64Array(candles.length * FIELDS);
  candles.forEach((candle, row) => packed.set(candle, row * FIELDS));
  return packed;
}

export function unpackCandles(packed: Float64Array): Ohlcv[] {
  const candles: Ohlcv[] = [];
  for (let i = 0; i < packed.length; i += FIELDS) {
    candles.push([
      packed[i]!,
      packed[i + 1]!,
      packed[i + 2]!,
      packed[i + 3]!,
      packed[i + 4]!,
      packed[i + 5]!,
    ]);
  }
  return candles;
}

/**
 * A stored series, unpacked only when its candles are read. A freshness
 * check needs its length and its last candle's open alone: a warm batch's
 * store read checks every series of the batch at once, and unpacking them
 * all (~10 KB of arrays per series, alive together) was most of a warm
 * cycle's garbage collection in its CPU profile.
 */
export class PackedSeries {
  private unpacked?: Ohlcv[];

  constructor(private readonly packed: Float64Array) {}

  get count(): number {
    return this.packed.length / FIELDS;
  }

  /** The last candle's open time; undefined for an empty series. */
  get lastOpen(): number | undefined {
    return this.packed.length > 0 ? this.packed[this.packed.length - FIELDS] : undefined;
  }

  get candles(): Ohlcv[] {
    return (this.unpacked ??= unpackCandles(this.packed));
  }
}

/**
 * A packed series as text for Redis: its bytes in base64, which Node encodes
 * and decodes natively, where JSON walked every number of every candle (a
 * cost per series in a cold cycle's CPU profile). The bytes are the
 * platform's (little-endian on every machine Node runs the worker on).
 */
export function encodePacked(packed: Float64Array): string {
  return Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength).toString('base64');
}

/** The series `encodePacked` wrote; undefined for text that cannot be one (not whole candles). */
export function decodePacked(text: string): Float64Array | undefined {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength === 0 || bytes.byteLength % (FIELDS * Float64Array.BYTES_PER_ELEMENT) !== 0)
    return undefined;
  // A copy: a small Buffer sits in Node's shared pool, at an offset a Float64Array may not start at.
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
