/**
 * @module
 * The error codes Binance documents for USDⓈ-M futures that a market-data
 * client (public REST and market streams) can meet, and what each means for
 * it: retry later, wait for the rate limit, the symbol is gone, or a request
 * no retry can fix. Source: Binance's "Error Codes" and "General Info" pages
 * for USDⓈ-M futures (developers.binance.com/docs/derivatives/
 * usds-margined-futures/error-code, …/general-info), messages verbatim.
 *
 * ccxt maps many of these to its own classes, but only where the request
 * went to fapi.binance.com itself (its futures table is chosen by URL), so
 * the code in the body is the one classification that holds everywhere.
 */

/** What a failure means for a read-only client: every public market-data request is safe to send again. */
export type FailureKind = 'temporary' | 'rate-limited' | 'unknown-symbol' | 'refused';

export interface BinanceErrorCode {
  name: string;
  /** One of the documented messages. */
  message: string;
  kind: FailureKind;
}

export const BINANCE_ERROR_CODES: Readonly<Record<number, BinanceErrorCode>> = {
  [-1000]: {
    name: 'UNKNOWN',
    message: 'An unknown error occured while processing the request.',
    kind: 'temporary',
  },
  [-1001]: {
    name: 'DISCONNECTED',
    message: 'Internal error; unable to process your request. Please try again.',
    kind: 'temporary',
  },
  [-1003]: {
    name: 'TOO_MANY_REQUESTS',
    message: 'Too many requests; current limit is %s requests per minute.',
    kind: 'rate-limited',
  },
  [-1006]: {
    name: 'UNEXPECTED_RESP',
    message: 'An unexpected response was received from the message bus. Execution status unknown.',
    kind: 'temporary',
  },
  [-1007]: {
    name: 'TIMEOUT',
    message:
      'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
    kind: 'temporary',
  },
  [-1008]: {
    name: 'Request Throttled',
    message: 'Server is currently overloaded with other requests. Please try again in a few minutes.',
    kind: 'temporary',
  },
  [-1015]: { name: 'TOO_MANY_ORDERS', message: 'Too many new orders.', kind: 'rate-limited' },
  // Named as if permanent, but met intermittently (Binance_Futures_python#103): retried, with backoff.
  [-1016]: {
    name: 'SERVICE_SHUTTING_DOWN',
    message: 'This service is no longer available.',
    kind: 'temporary',
  },
  [-1020]: { name: 'UNSUPPORTED_OPERATION', message: 'This operation is not supported.', kind: 'refused' },
  // Signed endpoints only; the clock is measured again on a retry.
  [-1021]: {
    name: 'INVALID_TIMESTAMP',
    message: 'Timestamp for this request is outside of the recvWindow.',
    kind: 'temporary',
  },
  [-1022]: {
    name: 'INVALID_SIGNATURE',
    message: 'Signature for this request is not valid.',
    kind: 'refused',
  },
  [-1023]: {
    name: 'START_TIME_GREATER_THAN_END_TIME',
    message: 'Start time is greater than end time.',
    kind: 'refused',
  },
  [-1099]: { name: 'NOT_FOUND', message: 'Not found, unauthenticated, or unauthorized.', kind: 'refused' },
  [-1100]: { name: 'ILLEGAL_CHARS', message: 'Illegal characters found in a parameter.', kind: 'refused' },
  [-1101]: {
    name: 'TOO_MANY_PARAMETERS',
    message: 'Too many parameters sent for this endpoint.',
    kind: 'refused',
  },
  [-1102]: {
    name: 'MANDATORY_PARAM_EMPTY_OR_MALFORMED',
    message: 'A mandatory parameter was not sent, was empty/null, or malformed.',
    kind: 'refused',
  },
  [-1103]: { name: 'UNKNOWN_PARAM', message: 'An unknown parameter was sent.', kind: 'refused' },
  [-1104]: { name: 'UNREAD_PARAMETERS', message: 'Not all sent parameters were read.', kind: 'refused' },
  [-1105]: { name: 'PARAM_EMPTY', message: 'A parameter was empty.', kind: 'refused' },
  [-1106]: {
    name: 'PARAM_NOT_REQUIRED',
    message: 'A parameter was sent when not required.',
    kind: 'refused',
  },
  [-1108]: { name: 'BAD_ASSET', message: 'Invalid asset.', kind: 'refused' },
  [-1109]: { name: 'BAD_ACCOUNT', message: 'Invalid account.', kind: 'refused' },
  [-1110]: { name: 'BAD_INSTRUMENT_TYPE', message: 'Invalid symbolType.', kind: 'refused' },
  [-1111]: {
    name: 'BAD_PRECISION',
    message: 'Precision is over the maximum defined for this asset.',
    kind: 'refused',
  },
  [-1112]: { name: 'NO_DEPTH', message: 'No orders on book for symbol.', kind: 'refused' },
  [-1120]: { name: 'BAD_INTERVAL', message: 'Invalid interval.', kind: 'refused' },
  [-1121]: { name: 'BAD_SYMBOL', message: 'Invalid symbol.', kind: 'unknown-symbol' },
  [-1122]: { name: 'INVALID_SYMBOL_STATUS', message: 'Invalid symbol status.', kind: 'unknown-symbol' },
  [-1126]: { name: 'ASSET_NOT_SUPPORTED', message: 'This asset is not supported.', kind: 'refused' },
  [-1127]: { name: 'MORE_THAN_XX_HOURS', message: 'Lookup interval is too big.', kind: 'refused' },
  [-1128]: {
    name: 'OPTIONAL_PARAMS_BAD_COMBO',
    message: 'Combination of optional parameters invalid.',
    kind: 'refused',
  },
  [-1130]: { name: 'INVALID_PARAMETER', message: 'Invalid data sent for a parameter.', kind: 'refused' },
  [-4021]: { name: 'INVALID_DEPTH_LIMIT', message: 'Invalid depth limit.', kind: 'refused' },
  [-4104]: { name: 'INVALID_CONTRACT_TYPE', message: 'Invalid contract type', kind: 'refused' },
  [-4144]: { name: 'INVALID_PAIR', message: 'Invalid pair', kind: 'unknown-symbol' },
  [-4165]: { name: 'INVALID_TIME_INTERVAL', message: 'Invalid time interval', kind: 'refused' },
  // Not on the USDⓈ-M error page, but what an unknown path answers.
  [-5000]: { name: 'INVALID_PATH', message: 'Path %s, Method %s is invalid', kind: 'refused' },
};

/** The Binance code in an error's message (ccxt puts the body there: `binanceusdm {"code":-1121,...}`). */
export function binanceCodeIn(message: string): number | undefined {
  const match = /"code"\s*:\s*(-?\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}
