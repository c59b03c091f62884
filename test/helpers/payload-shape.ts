/**
 * @module
 * Field-by-field comparison of a JSON payload with a recording of the same
 * payload: the same keys, the same JSON types (a decimal string is not a
 * number, an integer is not a float), and, where both describe the same
 * symbol, the same number of decimals. Values are not compared: prices move.
 * The answer is a list of differences, each naming its field, so that a
 * failing assertion shows every one of them at once.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export type JsonKind =
  'null' | 'boolean' | 'integer' | 'number' | 'decimal string' | 'string' | 'array' | 'object';

const DECIMAL_STRING = /^-?\d+(\.\d+)?$/;

export function kindOf(value: unknown): JsonKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'string':
      return DECIMAL_STRING.test(value) ? 'decimal string' : 'string';
    case 'object':
      return 'object';
    default:
      throw new TypeError(`not JSON: ${typeof value}`);
  }
}

function decimalsOf(value: string): number {
  return value.split('.')[1]?.length ?? 0;
}

export interface ShapeOptions {
  /** Compare the decimals of decimal strings too: only where recording and answer are of the same symbol. */
  decimals?: boolean;
  /**
   * The key that tells the elements of an array of objects apart, by the
   * array's field name (filters: filterType). Such arrays are compared
   * element by element, matched on that key; other arrays of objects
   * against the recording's first element.
   */
  elementKeys?: Record<string, string>;
}

/** Every difference between `actual` and the `recorded` payload it should look like (empty: none). */
export function shapeDifferences(recorded: unknown, actual: unknown, options: ShapeOptions = {}): string[] {
  const out: string[] = [];
  compare(recorded, actual, '', '', options, out);
  return out;
}

function compare(
  recorded: unknown,
  actual: unknown,
  path: string,
  field: string,
  options: ShapeOptions,
  out: string[],
): void {
  const where = path || '(top)';
  const [want, got] = [kindOf(recorded), kindOf(actual)];
  if (want !== got) {
    out.push(`${where}: ${got} ${JSON.stringify(actual)}, recorded ${want} ${JSON.stringify(recorded)}`);
    return;
  }
  if (want === 'decimal string' && options.decimals) {
    const [a, r] = [decimalsOf(actual as string), decimalsOf(recorded as string)];
    if (a !== r)
      out.push(`${where}: ${a} decimals ("${String(actual)}"), recorded ${r} ("${String(recorded)}")`);
  }
  if (want === 'object') return compareObjects(recorded as object, actual as object, path, options, out);
  if (want === 'array') compareArrays(recorded as unknown[], actual as unknown[], path, field, options, out);
}

function compareObjects(
  recorded: object,
  actual: object,
  path: string,
  options: ShapeOptions,
  out: string[],
): void {
  const prefix = path ? `${path}.` : '';
  for (const key of Object.keys(recorded))
    if (!(key in actual))
      out.push(`${prefix}${key}: missing (recorded ${JSON.stringify(recorded[key as keyof object])})`);
  for (const key of Object.keys(actual))
    if (!(key in recorded))
      out.push(`${prefix}${key}: extra (not recorded), ${JSON.stringify(actual[key as keyof object])}`);
  for (const key of Object.keys(recorded)) {
    if (key in actual)
      compare(
        recorded[key as keyof object],
        actual[key as keyof object],
        `${prefix}${key}`,
        key,
        options,
        out,
      );
  }
}

function compareArrays(
  recorded: unknown[],
  actual: unknown[],
  path: string,
  field: string,
  options: ShapeOptions,
  out: string[],
): void {
  // An empty recording says nothing of its elements' shape.
  if (recorded.length === 0) return;
  const key = options.elementKeys?.[field];
  if (key !== undefined) {
    const byKey = (items: unknown[]) =>
      new Map(items.map((item) => [String((item as Record<string, unknown>)[key]), item]));
    const [want, got] = [byKey(recorded), byKey(actual)];
    for (const [name, item] of want) {
      if (got.has(name)) compare(item, got.get(name), `${path}[${name}]`, field, options, out);
      else out.push(`${path}[${name}]: missing (recorded ${JSON.stringify(item)})`);
    }
    for (const [name, item] of got)
      if (!want.has(name)) out.push(`${path}[${name}]: extra (not recorded), ${JSON.stringify(item)}`);
    return;
  }
  // Elements of several kinds: a tuple (a kline row), compared position by position.
  const kinds = new Set(recorded.map(kindOf));
  if (kinds.size > 1 || kindOf(recorded[0]) === 'null') {
    if (actual.length !== recorded.length)
      out.push(`${path}: ${actual.length} elements, recorded ${recorded.length}`);
    recorded.forEach((item, i) => {
      if (i < actual.length) compare(item, actual[i], `${path}[${i}]`, field, options, out);
    });
    return;
  }
  // A list of like elements: every answered one against the recording's first.
  const seen = new Set<string>();
  actual.forEach((item, i) => {
    const before = out.length;
    compare(recorded[0], item, `${path}[${i}]`, field, options, out);
    // One report per kind of difference, not one per element of a long list.
    const fresh = out.splice(before).filter((line) => {
      const shape = line.slice(0, line.indexOf(':')).replace(`${path}[${i}]`, `${path}[*]`);
      if (seen.has(shape)) return false;
      seen.add(shape);
      return true;
    });
    out.push(...fresh);
  });
}

const recordingSchema = z
  .object({
    source: z.string().min(10),
    retrieved: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    note: z.string().min(10),
    payload: z.unknown(),
  })
  .strict();
export type Recording = z.infer<typeof recordingSchema>;

/** A recorded payload of test/fixtures/binance/, with its source. */
export function loadRecording(name: string): Recording {
  const url = new URL(`../fixtures/binance/${name}.json`, import.meta.url);
  return recordingSchema.parse(JSON.parse(readFileSync(url, 'utf8')));
}
