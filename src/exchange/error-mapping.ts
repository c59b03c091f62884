/**
 * @module
 * ccxt's errors, translated at the boundary into ours, classified once:
 * first by the Binance code in the body (binance-error-codes.ts), then by
 * the most specific ccxt class in CCXT_ERROR_KINDS, which names every error
 * class the installed ccxt exports (a test fails if one is missing).
 * Anything unforeseen is temporary: retried a bounded number of times, then
 * reported with its reason, never silently permanent.
 */
import {
  BadRequestError,
  RateLimitedError,
  ScannerError,
  TemporaryExchangeError,
  UnknownSymbolError,
} from '../core/errors.js';
import { binanceCodeIn, BINANCE_ERROR_CODES, type FailureKind } from './binance-error-codes.js';
import { ccxtErrors } from './ccxt-modules.js';

/** Every error class of ccxt 4.5 (base/errorHierarchy.js), by name. */
export const CCXT_ERROR_KINDS: Readonly<Record<string, FailureKind>> = {
  // The roots: an error no subclass explains is unforeseen (an unmapped exchange code, say).
  BaseError: 'temporary',
  ExchangeError: 'temporary',
  // Credentials and permissions: the scanner sends none; meeting one is a refusal.
  AuthenticationError: 'refused',
  PermissionDenied: 'refused',
  AccountNotEnabled: 'refused',
  AccountSuspended: 'refused',
  ArgumentsRequired: 'refused',
  BadRequest: 'refused',
  BadSymbol: 'unknown-symbol',
  OperationRejected: 'refused',
  NoChange: 'refused',
  MarginModeAlreadySet: 'refused',
  // The market is not trading: as good as delisted for a scanner.
  MarketClosed: 'unknown-symbol',
  ManualInteractionNeeded: 'refused',
  RestrictedLocation: 'refused',
  // Orders, funds and addresses: never met by a market-data client; refusals if they were.
  InsufficientFunds: 'refused',
  InvalidAddress: 'refused',
  AddressPending: 'refused',
  InvalidOrder: 'refused',
  OrderNotFound: 'refused',
  OrderNotCached: 'refused',
  OrderImmediatelyFillable: 'refused',
  OrderNotFillable: 'refused',
  DuplicateOrderId: 'refused',
  ContractUnavailable: 'refused',
  NotSupported: 'refused',
  InvalidProxySettings: 'refused',
  // Closed by us (shutdown): not worth retrying.
  ExchangeClosedByUser: 'refused',
  // The exchange could not serve the request now: Binance's -1000/-1001/-1006 land here, not under NetworkError.
  OperationFailed: 'temporary',
  NetworkError: 'temporary',
  DDoSProtection: 'rate-limited',
  RateLimitExceeded: 'rate-limited',
  ExchangeNotAvailable: 'temporary',
  OnMaintenance: 'temporary',
  InvalidNonce: 'temporary',
  ChecksumError: 'temporary',
  RequestTimeout: 'temporary',
  BadResponse: 'temporary',
  NullResponse: 'temporary',
  CancelPending: 'temporary',
  UnsubscribeError: 'temporary',
};

const KIND_BY_CLASS = new Map<unknown, FailureKind>(
  Object.entries(CCXT_ERROR_KINDS).map(([name, kind]) => [ccxtErrors[name], kind]),
);

/** The kind of the most specific ccxt class the error is an instance of, if it is one. */
function ccxtKind(error: Error): FailureKind | undefined {
  for (let proto: unknown = Object.getPrototypeOf(error); proto; proto = Object.getPrototypeOf(proto)) {
    const kind = KIND_BY_CLASS.get((proto as { constructor: unknown }).constructor);
    if (kind) return kind;
  }
  return undefined;
}

export function mapExchangeError(error: unknown, retryAfterMs = 60_000): ScannerError {
  if (error instanceof ScannerError) return error;
  if (!(error instanceof Error)) return new TemporaryExchangeError(`unexpected failure: ${String(error)}`);
  const message = error.message.split('\n')[0]!.slice(0, 300);
  const code = binanceCodeIn(message);
  const kind =
    (code !== undefined ? BINANCE_ERROR_CODES[code]?.kind : undefined) ?? ccxtKind(error) ?? 'temporary';
  switch (kind) {
    case 'rate-limited':
      return new RateLimitedError(message, retryAfterMs);
    case 'unknown-symbol':
      return new UnknownSymbolError(message);
    case 'refused':
      return new BadRequestError(message);
    case 'temporary':
      // An error that is not ccxt's (a bug, a library's own failure) keeps its name in the reason.
      return new TemporaryExchangeError(ccxtKind(error) ? message : `${error.name}: ${message}`);
  }
}
