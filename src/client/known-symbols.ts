import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import { symbolResolver } from '../exchange/symbol-resolver.js';
import { createMarketClient } from '../runtime/exchange-deps.js';

export class UnknownSymbolsError extends ConfigError {
  override name = 'UnknownSymbolsError';
}

/**
 * Refuses, before any cycle starts, symbols the exchange does not list (one
 * exchangeInfo request). Only where the client knows the exchange
 * (EXCHANGE_URL, or EXCHANGE=binanceusdm); otherwise the cycle reports each
 * unknown symbol as failed with its reason.
 */
export async function checkSymbolsListed(config: Config, symbols: string[]): Promise<void> {
  if (config.EXCHANGE === 'simulator' && !config.EXCHANGE_URL) return;
  const market = await createMarketClient(config);
  try {
    const resolve = symbolResolver(await market.perpetuals());
    const unknown = symbols.filter((s) => !resolve(s));
    if (unknown.length > 0)
      throw new UnknownSymbolsError(
        `not active USDT perpetuals on the exchange: ${unknown.join(', ')} (nothing started)`,
      );
  } finally {
    await market.close();
  }
}
