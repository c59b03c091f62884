/**
 * @module
 * Refuses, before any cycle starts, symbols the exchange does not list (one
 * exchangeInfo request, on the shared weight budget). Only where the client
 * knows the exchange (EXCHANGE_URL, or EXCHANGE=binanceusdm); otherwise the
 * cycle reports each unknown symbol as failed with its reason.
 */
import type { Config } from '../config.js';
import { UnknownSymbolError } from '../core/errors.js';
import { createExchangeStack } from '../market-data/exchange-stack.js';
import { symbolResolver } from '../market-data/universe.js';

export async function checkSymbolsListed(config: Config, symbols: string[]): Promise<void> {
  if (config.EXCHANGE === 'simulator' && !config.EXCHANGE_URL) return;
  const stack = await createExchangeStack(config, { streams: false });
  try {
    const resolve = symbolResolver(await stack.market.perpetuals());
    const unknown = symbols.filter((s) => !resolve(s));
    if (unknown.length > 0)
      throw new UnknownSymbolError(
        `not active USDT perpetuals on the exchange: ${unknown.join(', ')} (nothing started)`,
      );
  } finally {
    await stack.close();
  }
}
