import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type ccxt from 'ccxt';

/**
 * ccxt's package exports a single entry point, its whole index: about a
 * hundred exchanges, ~85 MB of resident memory in every process that imports
 * it (measured on Node 20). A worker needs one exchange, so it loads
 * binanceusdm's own module and the error classes from the installed package
 * by file: the same unmodified code, ~35 MB. They are the very modules ccxt's
 * index re-exports, so `instanceof` agrees with code that imports 'ccxt'.
 */
const packageRoot = path.resolve(path.dirname(createRequire(import.meta.url).resolve('ccxt')), '..');
const load = async <T>(file: string): Promise<T> =>
  ((await import(pathToFileURL(path.join(packageRoot, 'js', 'src', file)).href)) as { default: T }).default;

export const BinanceUsdmPro = await load<typeof ccxt.pro.binanceusdm>('pro/binanceusdm.js');

export const ccxtErrors =
  await load<
    Pick<typeof ccxt, 'DDoSProtection' | 'NetworkError' | 'BadSymbol' | 'BadRequest' | 'ExchangeError'>
  >('base/errors.js');
