import { ccxtErrors as ccxt } from './ccxt-modules.js';
import { BadRequestError, RateLimitedError, TemporaryExchangeError, UnknownSymbolError } from '../errors.js';

/**
 * ccxt's errors, translated at the boundary into ours. Order matters: ccxt's
 * classes form a hierarchy (DDoSProtection is a NetworkError, BadSymbol a
 * BadRequest).
 */
export function mapExchangeError(error: unknown, retryAfterMs = 60_000): unknown {
  if (!(error instanceof Error)) return error;
  const message = error.message.split('\n')[0]!.slice(0, 300);
  if (error instanceof ccxt.DDoSProtection) return new RateLimitedError(message, retryAfterMs);
  if (error instanceof ccxt.NetworkError) return new TemporaryExchangeError(message);
  if (error instanceof ccxt.BadSymbol) return new UnknownSymbolError(message);
  if (error instanceof ccxt.BadRequest) return new BadRequestError(message);
  if (error instanceof ccxt.ExchangeError) return new TemporaryExchangeError(message);
  return error;
}
