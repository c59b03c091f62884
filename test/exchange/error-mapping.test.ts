import ccxt, { errors } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestError,
  RateLimitedError,
  TemporaryExchangeError,
  UnknownSymbolError,
} from '../../src/core/errors.js';
import { BINANCE_ERROR_CODES, binanceCodeIn } from '../../src/exchange/binance-error-codes.js';
import { connectExchange, type BinanceUsdm } from '../../src/exchange/ccxt-factory.js';
import { CCXT_ERROR_KINDS, mapExchangeError } from '../../src/exchange/error-mapping.js';
import type { Simulator } from '../../src/simulator/server.js';
import { REST_ERRORS } from '../../src/simulator/rest-errors.js';
import { startTestSimulator } from '../helpers/simulator.js';

/** Every error class the installed ccxt exports, by name (its `errors` export is the whole hierarchy). */
const ccxtClasses = Object.entries(errors as unknown as Record<string, unknown>).filter(
  (entry): entry is [string, new (message: string) => Error] => typeof entry[1] === 'function',
);

describe('one classification of every failure', () => {
  it('classifies every error class the installed ccxt exports, and nothing it does not', () => {
    expect(ccxtClasses.length).toBeGreaterThanOrEqual(40);
    const unclassified = ccxtClasses.map(([name]) => name).filter((name) => !(name in CCXT_ERROR_KINDS));
    expect(unclassified).toEqual([]);
    expect(Object.keys(CCXT_ERROR_KINDS).filter((name) => !ccxtClasses.some(([n]) => n === name))).toEqual(
      [],
    );
  });

  it('turns each ccxt class into ours by its most specific classified ancestor', () => {
    const kinds = {
      temporary: TemporaryExchangeError,
      'rate-limited': RateLimitedError,
      'unknown-symbol': UnknownSymbolError,
      refused: BadRequestError,
    };
    for (const [name, ErrorClass] of ccxtClasses) {
      const mapped = mapExchangeError(new ErrorClass(`binanceusdm ${name}`));
      expect(mapped.constructor, name).toBe(kinds[CCXT_ERROR_KINDS[name]!]);
    }
    // What the issue met: OperationFailed (Binance's -1001) is neither a NetworkError nor an ExchangeError, and is temporary.
    expect(mapExchangeError(new ccxt.OperationFailed('x'))).toBeInstanceOf(TemporaryExchangeError);
    expect(mapExchangeError(new ccxt.BadResponse('x'))).toBeInstanceOf(TemporaryExchangeError);
    expect(mapExchangeError(new ccxt.NullResponse('x'))).toBeInstanceOf(TemporaryExchangeError);
  });

  it("classifies by Binance's code first: the same code means the same thing whichever class ccxt chose", () => {
    // Against a host other than fapi.binance.com ccxt maps -1008 and -4144 to plain ExchangeError.
    const throttled = new ccxt.ExchangeError(
      'binanceusdm {"code":-1008,"msg":"Server is currently overloaded with other requests. Please try again in a few minutes."}',
    );
    expect(mapExchangeError(throttled)).toBeInstanceOf(TemporaryExchangeError);
    const pair = new ccxt.ExchangeError('binanceusdm {"code":-4144,"msg":"Invalid pair"}');
    expect(mapExchangeError(pair)).toBeInstanceOf(UnknownSymbolError);
    const interval = new ccxt.ExchangeError('binanceusdm {"code":-1120,"msg":"Invalid interval."}');
    expect(mapExchangeError(interval)).toBeInstanceOf(BadRequestError);
    expect(binanceCodeIn('binanceusdm {"code":-1121,"msg":"Invalid symbol."}')).toBe(-1121);
    for (const [code, entry] of Object.entries(BINANCE_ERROR_CODES))
      expect(entry.message.length, code).toBeGreaterThan(5);
  });

  it('treats anything unforeseen as temporary (bounded retries, then a reason), never silently permanent', () => {
    const bug = mapExchangeError(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(bug).toBeInstanceOf(TemporaryExchangeError);
    expect(bug.message).toBe("TypeError: Cannot read properties of undefined (reading 'x')");
    expect(mapExchangeError('a string')).toBeInstanceOf(TemporaryExchangeError);
    const rate = mapExchangeError(new ccxt.DDoSProtection('429'), 7_000);
    expect(rate).toBeInstanceOf(RateLimitedError);
    expect((rate as RateLimitedError).retryAfterMs).toBe(7_000);
  });

  describe("Binance's documented failures, from the simulator through unmodified ccxt", () => {
    let sim: Simulator;
    let exchange: BinanceUsdm;
    beforeAll(async () => {
      sim = await startTestSimulator({ symbols: 5 });
      exchange = await connectExchange({
        kind: 'simulator',
        url: sim.url,
        enableRateLimit: false,
        timeoutMs: 2_000,
      });
      await exchange.loadMarkets();
    });
    afterAll(async () => {
      await exchange.close();
      await sim.close();
    });

    it.each(REST_ERRORS)('%s is a temporary error, retried', async (kind) => {
      sim.setFaults({ errorRate: 1, errorKinds: [kind] });
      try {
        const error = await exchange.fetchOHLCV('BTC/USDT:USDT', '1h', undefined, 5).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
        expect(mapExchangeError(error), String(error)).toBeInstanceOf(TemporaryExchangeError);
        expect(sim.stats.errors[kind]).toBeGreaterThan(0);
      } finally {
        sim.setFaults({ errorRate: 0 });
      }
    });

    it('answers the bodies Binance documents', async () => {
      const answers: Record<string, { status: number; text: string }> = {};
      for (const kind of REST_ERRORS.filter((k) => k !== 'connection-reset')) {
        sim.setFaults({ errorRate: 1, errorKinds: [kind] });
        const response = await fetch(`${sim.url}/fapi/v1/time`);
        answers[kind] = { status: response.status, text: await response.text() };
      }
      sim.setFaults({ errorRate: 1, errorKinds: ['connection-reset'] });
      const reset = await fetch(`${sim.url}/fapi/v1/time`).catch((e: unknown) => e as Error);
      sim.setFaults({ errorRate: 0 });
      expect(answers['internal-error']).toEqual({
        status: 503,
        text: '{"code":-1001,"msg":"Internal error; unable to process your request. Please try again."}',
      });
      expect(answers['service-unavailable']!.status).toBe(503);
      expect(JSON.parse(answers['service-unavailable']!.text)).toMatchObject({ msg: 'Service Unavailable.' });
      expect(answers['backend-timeout']!.status).toBe(408);
      expect(JSON.parse(answers['backend-timeout']!.text)).toMatchObject({ code: -1007 });
      expect(answers['bad-gateway']!.status).toBe(502);
      expect(answers['bad-gateway']!.text).toMatch(/^<html>\r\n<head><title>502 Bad Gateway<\/title>/);
      expect(answers['bad-gateway']!.text).toHaveLength(122);
      expect(reset).toBeInstanceOf(TypeError); // fetch failed: the socket was reset
      expect(String((reset as Error & { cause?: unknown }).cause)).toMatch(
        /ECONNRESET|socket|other side closed/i,
      );
    });
  });
});
