/**
 * @module
 * ccxt's package exports a single entry point, its whole index: about a
 * hundred exchanges, loaded into every process that imports it (tens of MB
 * of resident memory: docs/performance.md, "Worker memory"). A worker needs
 * one exchange, so it loads binanceusdm's own module and the error classes
 * from the installed package by file: the same unmodified code. They are the
 * very modules ccxt's index re-exports, so `instanceof` agrees with code that
 * imports 'ccxt'.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type ccxt from 'ccxt';
const packageRoot = path.resolve(path.dirname(createRequire(import.meta.url).resolve('ccxt')), '..');
const load = async <T>(file: string): Promise<T> =>
  ((await import(pathToFileURL(path.join(packageRoot, 'js', 'src', file)).href)) as { default: T }).default;

export const BinanceUsdmPro = await load<typeof ccxt.pro.binanceusdm>('pro/binanceusdm.js');

/** Every error class of ccxt (base/errors.js), by name. */
export const ccxtErrors =
  await load<Record<string, abstract new (...args: never[]) => Error>>('base/errors.js');
