/** An error answered the way Binance answers it: an HTTP status and {"code", "msg"}. */
export class BinanceApiError extends Error {
  override name = 'BinanceApiError';
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  get body(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

export const binanceErrors = {
  unknownPath: (path: string, method: string) =>
    new BinanceApiError(404, -5000, `Path ${path}, Method ${method} is invalid`),
  mandatory: (name: string) =>
    new BinanceApiError(
      400,
      -1102,
      `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
    ),
  illegalCharacters: (name: string) =>
    new BinanceApiError(
      400,
      -1100,
      `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.`,
    ),
  invalidValue: (name: string) =>
    new BinanceApiError(400, -1130, `Data sent for parameter '${name}' is not valid.`),
  duplicate: () => new BinanceApiError(400, -1101, 'Duplicate values for a parameter detected.'),
  invalidSymbol: () => new BinanceApiError(400, -1121, 'Invalid symbol.'),
  invalidInterval: () => new BinanceApiError(400, -1120, 'Invalid interval.'),
  startAfterEnd: () => new BinanceApiError(400, -1023, 'Start time is greater than end time.'),
};
