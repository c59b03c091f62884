/**
 * @module
 * The failures Binance answers a healthy request with, now and then, as its
 * "General Info" page documents them (HTTP return codes, the 503 variants)
 * and as load balancers in front of it have been seen to answer.
 */
export const REST_ERRORS = [
  'internal-error',
  'service-unavailable',
  'backend-timeout',
  'bad-gateway',
  'connection-reset',
] as const;
export type RestError = (typeof REST_ERRORS)[number];

export interface RestErrorAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** AWS ELB's 502 page, byte for byte (binance-futures-connector-python#168: 122 bytes, text/html). */
const ELB_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

const binanceJson = (code: number, msg: string) => JSON.stringify({ code, msg });

/** The answer of each failure; a connection reset has none (the socket is destroyed). */
export const REST_ERROR_ANSWERS: Record<Exclude<RestError, 'connection-reset'>, RestErrorAnswer> = {
  // General Info, HTTP 503, message 3: "a failure API operation and you can resend your request".
  'internal-error': {
    status: 503,
    contentType: 'application/json',
    body: binanceJson(-1001, 'Internal error; unable to process your request. Please try again.'),
  },
  // General Info, HTTP 503, message 2: "the service might be unavailable at the moment, you need to retry later".
  // Binance documents the message, not its code; -1000 (UNKNOWN) is the family it belongs to.
  'service-unavailable': {
    status: 503,
    contentType: 'application/json',
    body: binanceJson(-1000, 'Service Unavailable.'),
  },
  // General Info: "HTTP 408 … a timeout has occurred while waiting for a response from the backend server" (-1007).
  'backend-timeout': {
    status: 408,
    contentType: 'application/json',
    body: binanceJson(
      -1007,
      'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
    ),
  },
  'bad-gateway': { status: 502, contentType: 'text/html', body: ELB_502 },
};
