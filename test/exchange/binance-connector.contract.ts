import {
  BadRequestError,
  type DerivativesTradingUsdsFutures,
  DerivativesTradingUsdsFuturesRestAPI,
  DerivativesTradingUsdsFuturesWebsocketStreams,
  RateLimitBanError,
  TooManyRequestsError,
} from '@binance/derivatives-trading-usds-futures';
import type { RestApiRateLimit } from '@binance/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopConnectorSockets } from '../helpers/binance-connector.js';
import { CONTRACT_STATUSES, type KlineEvent } from '../helpers/binance-spec.js';

/**
 * What the product relies on from a Binance USDⓈ-M exchange, through
 * Binance's own Node connector: a second real client, written by the
 * exchange, beside ccxt (binance-usdm.contract.ts). It sees the wire as
 * Binance sends it (kline rows of strings, {code,msg} errors, the weight
 * header) and it opens the 2026 routed WebSocket paths (/market/stream…),
 * so it checks what ccxt's parsing would hide.
 */
export interface ConnectorTarget {
  connector: DerivativesTradingUsdsFutures;
  /** Exact number of active USDT perpetuals, where the implementation fixes it. */
  expectedPerpetuals?: number;
  /** The simulator always lists contracts in SETTLING; Binance only while a delisting runs. */
  listsSettling: boolean;
  /** A client of the same exchange whose request-weight limit is tiny, where one can be had (not on Binance). */
  limited?: { connector: DerivativesTradingUsdsFutures; weightLimit: number };
  /**
   * Brings the close of the forming 1m candle to within about a second and
   * returns its close time (the simulator moves its clock; Binance is waited for).
   */
  closeOneMinuteSoon(): Promise<number>;
  /** WebSocket connections open as the exchange counts them, where it can tell. */
  openStreamConnections?(): number;
  close(): Promise<void>;
}

const REST = DerivativesTradingUsdsFuturesRestAPI;
type RestInterval = DerivativesTradingUsdsFuturesRestAPI.KlineCandlestickDataIntervalEnum;
const INTERVAL: Record<string, RestInterval> = {
  // Mind the case: INTERVAL_1M is one month.
  '1m': REST.KlineCandlestickDataIntervalEnum.INTERVAL_1m,
  '5m': REST.KlineCandlestickDataIntervalEnum.INTERVAL_5m,
  '15m': REST.KlineCandlestickDataIntervalEnum.INTERVAL_15m,
  '1h': REST.KlineCandlestickDataIntervalEnum.INTERVAL_1h,
};
const WS_INTERVAL = DerivativesTradingUsdsFuturesWebsocketStreams.KlineCandlestickStreamsIntervalEnum;
const STEP_MS: Record<string, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 };

/** [openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBuyBase, takerBuyQuote, ignore] */
type KlineRow = [
  number,
  string,
  string,
  string,
  string,
  string,
  number,
  string,
  number,
  string,
  string,
  string,
];
const ROW_TYPES = [
  'number',
  ...Array<string>(5).fill('string'),
  'number',
  'string',
  'number',
  'string',
  'string',
  'string',
];
const DECIMAL = /^\d+(\.\d+)?$/;

interface SymbolInfo {
  symbol: string;
  status: string;
  contractType: string;
  quoteAsset: string;
  marginAsset: string;
  filters: Array<Record<string, unknown> & { filterType: string }>;
}
interface ExchangeInfo {
  rateLimits: Array<{ rateLimitType: string; interval: string; intervalNum: number; limit: number }>;
  symbols: SymbolInfo[];
}
interface Ticker {
  symbol: string;
  lastPrice: string;
  highPrice: string;
  lowPrice: string;
  quoteVolume: string;
  openTime: number;
  closeTime: number;
  firstId: number;
  lastId: number;
  count: number;
}

const isActiveUsdtPerpetual = (s: SymbolInfo) =>
  s.status === 'TRADING' &&
  s.contractType === 'PERPETUAL' &&
  s.quoteAsset === 'USDT' &&
  s.marginAsset === 'USDT';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

/** A decimal string as an integer count of 10^-scale (exact, for sums of volumes). */
function scaled(decimal: string, scale: number): bigint {
  const [whole, fraction = ''] = decimal.split('.');
  return BigInt(whole! + fraction.padEnd(scale, '0').slice(0, scale));
}

function decimalsOf(decimal: string): number {
  return decimal.split('.')[1]?.length ?? 0;
}

/** The used weight as the connector hands it over: the raw header, and its own parse of it. */
function weightOf(response: { headers: Record<string, string>; rateLimits?: RestApiRateLimit[] }) {
  const header = response.headers['x-mbx-used-weight-1m'];
  const parsed = response.rateLimits?.find(
    (r) => r.rateLimitType === 'REQUEST_WEIGHT' && r.interval === 'MINUTE' && r.intervalNum === 1,
  )?.count;
  return { header, parsed };
}

/** What is wrong with a kline stream event, as a list (empty: nothing). */
function klineEventProblems(event: KlineEvent, symbol: string, interval: string): string[] {
  const problems: string[] = [];
  const k = event.k;
  const expectType = (name: string, value: unknown, type: string) => {
    if (typeof value !== type) problems.push(`${name}: ${typeof value}, expected ${type}`);
  };
  if (event.e !== 'kline') problems.push(`e: ${event.e}`);
  expectType('E', event.E, 'number');
  if (event.s !== symbol || k.s !== symbol) problems.push(`s: ${event.s}/${k.s}, expected ${symbol}`);
  if (k.i !== interval) problems.push(`k.i: ${k.i}, expected ${interval}`);
  for (const name of ['t', 'T', 'f', 'L', 'n'] as const) expectType(`k.${name}`, k[name], 'number');
  for (const name of ['o', 'c', 'h', 'l', 'v', 'q', 'V', 'Q', 'B'] as const) {
    expectType(`k.${name}`, k[name], 'string');
    if (typeof k[name] === 'string' && !DECIMAL.test(k[name])) problems.push(`k.${name}: ${k[name]}`);
  }
  expectType('k.x', k.x, 'boolean');
  if (k.t % STEP_MS[interval]! !== 0) problems.push(`k.t ${k.t} is not on a ${interval} boundary`);
  if (k.T !== k.t + STEP_MS[interval]! - 1) problems.push(`k.T ${k.T} for k.t ${k.t}`);
  // Not n === L - f + 1: mainnet recordings have a few ids more than trades (2243 ids, n 2239).
  if (!(k.n >= 1 && k.n <= k.L - k.f + 1)) problems.push(`k.n ${k.n} for trade ids ${k.f}..${k.L}`);
  const [o, c, h, l] = [k.o, k.c, k.h, k.l].map(Number) as [number, number, number, number];
  if (!(l <= Math.min(o, c) && h >= Math.max(o, c) && l > 0))
    problems.push(`o/h/l/c ${k.o}/${k.h}/${k.l}/${k.c}`);
  return problems;
}

export function describeBinanceConnectorContract(name: string, setup: () => Promise<ConnectorTarget>): void {
  describe(`Binance USDⓈ-M contract through Binance's connector: ${name}`, () => {
    let target: ConnectorTarget;
    let rest: DerivativesTradingUsdsFutures['restAPI'];
    let info: ExchangeInfo;
    let perpetuals: string[];

    const klines = async (
      symbol: string,
      interval: string,
      query: { limit?: number; startTime?: number } = {},
    ) => {
      const response = await rest.klineCandlestickData({ symbol, interval: INTERVAL[interval]!, ...query });
      return (await response.data()) as unknown as KlineRow[];
    };
    const serverTime = async () => {
      const response = await rest.checkServerTime();
      return Number((await response.data()).serverTime);
    };

    beforeAll(async () => {
      target = await setup();
      rest = target.connector.restAPI;
      info = (await (await rest.exchangeInformation()).data()) as unknown as ExchangeInfo;
      perpetuals = info.symbols.filter(isActiveUsdtPerpetual).map((s) => s.symbol);
    });
    afterAll(async () => {
      await target?.close();
      stopConnectorSockets();
    });

    describe('REST', () => {
      it('exchangeInformation lists active USDT perpetuals with their filters', () => {
        if (target.expectedPerpetuals !== undefined)
          expect(perpetuals).toHaveLength(target.expectedPerpetuals);
        else expect(perpetuals.length).toBeGreaterThan(100);
        expect(perpetuals).toContain('BTCUSDT');
        const btc = info.symbols.find((s) => s.symbol === 'BTCUSDT')!;
        const filter = (type: string) => btc.filters.find((f) => f.filterType === type);
        const tick = filter('PRICE_FILTER')?.tickSize;
        const step = filter('LOT_SIZE')?.stepSize;
        expect(tick).toMatch(DECIMAL);
        expect(step).toMatch(DECIMAL);
        expect(Number(tick)).toBeGreaterThan(0);
        expect(Number(step)).toBeGreaterThan(0);
        expect(filter('MIN_NOTIONAL')?.notional).toMatch(DECIMAL);
        // The body's own weight limit is what the weight header counts against.
        expect(info.rateLimits).toContainEqual(
          expect.objectContaining({ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1 }),
        );
      });

      it('exchangeInformation: every status is one of Binance’s, and what a scanner must skip is told apart', () => {
        for (const s of info.symbols) expect(CONTRACT_STATUSES, s.symbol).toContain(s.status);
        const others = info.symbols.filter((s) => !isActiveUsdtPerpetual(s));
        const usdc = others.filter((s) => s.quoteAsset === 'USDC' && s.contractType === 'PERPETUAL');
        const dated = others.filter((s) => s.contractType.endsWith('_QUARTER'));
        const settling = others.filter((s) => s.status === 'SETTLING');
        expect(usdc.length).toBeGreaterThan(0);
        expect(usdc.every((s) => s.marginAsset === 'USDC')).toBe(true);
        expect(dated.length).toBeGreaterThan(0);
        // A dated contract's id carries its delivery date: BTCUSDT_261225.
        for (const s of dated) expect(s.symbol).toMatch(/^[A-Z0-9]+_\d{6}$/);
        if (target.listsSettling) expect(settling.length).toBeGreaterThan(0);
        for (const s of [...usdc, ...dated, ...settling]) expect(perpetuals).not.toContain(s.symbol);
      });

      for (const interval of ['1h', '15m', '5m']) {
        it(`klineCandlestickData ${interval} limit 99: rows of twelve fields as Binance sends them`, async () => {
          const rows = await klines('ETHUSDT', interval, { limit: 99 });
          const now = await serverTime();
          expect(rows).toHaveLength(99);
          const step = STEP_MS[interval]!;
          rows.forEach((row, i) => {
            expect(row.map((field) => typeof field)).toEqual(ROW_TYPES);
            for (const at of [1, 2, 3, 4, 5, 7, 9, 10]) expect(row[at]).toMatch(DECIMAL);
            const [t, o, h, l, c] = [row[0], ...row.slice(1, 5).map(Number)] as number[];
            expect(t! % step).toBe(0);
            expect(row[6]).toBe(t! + step - 1);
            if (i > 0) expect(t! - rows[i - 1]![0]).toBe(step);
            expect(l).toBeLessThanOrEqual(Math.min(o!, c!));
            expect(h).toBeGreaterThanOrEqual(Math.max(o!, c!));
            expect(l).toBeGreaterThan(0);
            expect(Number(row[9])).toBeLessThanOrEqual(Number(row[5]));
          });
          // The last row is the candle forming now: open, and not yet closed.
          const last = rows.at(-1)!;
          expect(last[0]).toBeLessThanOrEqual(now);
          expect(last[6]).toBeGreaterThan(now - 5_000);
        });
      }

      it('a closed 1h kline is its twelve 5m klines', async () => {
        const [hour] = await klines('BTCUSDT', '1h', { limit: 3 });
        const fives = await klines('BTCUSDT', '5m', { startTime: hour![0], limit: 12 });
        expect(fives).toHaveLength(12);
        expect(fives[0]![0]).toBe(hour![0]);
        expect(fives[11]![6]).toBe(hour![6]);
        expect(fives[0]![1]).toBe(hour![1]);
        expect(fives[11]![4]).toBe(hour![4]);
        expect(Math.max(...fives.map((f) => Number(f[2])))).toBe(Number(hour![2]));
        expect(Math.min(...fives.map((f) => Number(f[3])))).toBe(Number(hour![3]));
        // Volumes are whole quantity steps: their sums are exact.
        const scale = Math.max(...[hour!, ...fives].map((r) => decimalsOf(r[5])));
        const sum = (at: 5 | 9) => fives.reduce((total, f) => total + scaled(f[at], scale), 0n);
        expect(sum(5)).toBe(scaled(hour![5], scale));
        expect(sum(9)).toBe(scaled(hour![9], scale));
        const quote = fives.reduce((total, f) => total + Number(f[7]), 0);
        expect(Math.abs(quote - Number(hour![7]))).toBeLessThan(Math.max(0.01, Number(hour![7]) * 1e-9));
      });

      it('a closed 1h kline’s trade count is the sum of its twelve 5m klines’', async () => {
        // Trades are counted, not estimated: each trade falls in exactly one 5m candle.
        const [hour] = await klines('BTCUSDT', '1h', { limit: 3 });
        const fives = await klines('BTCUSDT', '5m', { startTime: hour![0], limit: 12 });
        expect(fives.reduce((total, f) => total + f[8], 0)).toBe(hour![8]);
      });

      it('checkServerTime answers integer epoch milliseconds; testConnectivity answers {}', async () => {
        const ping = await rest.testConnectivity();
        expect(ping.status).toBe(200);
        expect(await ping.data()).toEqual({});
        const time = await rest.checkServerTime();
        const { serverTime: t } = await time.data();
        expect(typeof t).toBe('number');
        expect(Number.isInteger(t)).toBe(true);
        expect(Number(t)).toBeGreaterThan(Date.UTC(2020, 0, 1));
        expect(Number(t)).toBeLessThan(Date.UTC(2100, 0, 1));
      });

      it('ticker24hrPriceChangeStatistics for one symbol: 24h statistics of it', async () => {
        const response = await rest.ticker24hrPriceChangeStatistics({ symbol: 'BTCUSDT' });
        const ticker = (await response.data()) as unknown as Ticker;
        expect(Array.isArray(ticker)).toBe(false);
        expect(ticker.symbol).toBe('BTCUSDT');
        for (const field of ['lastPrice', 'highPrice', 'lowPrice', 'quoteVolume'] as const)
          expect(ticker[field]).toMatch(DECIMAL);
        expect(Number(ticker.lastPrice)).toBeGreaterThan(0);
        expect(Number(ticker.quoteVolume)).toBeGreaterThan(0);
        expect(Number(ticker.highPrice)).toBeGreaterThanOrEqual(Number(ticker.lowPrice));
        expect(Number(ticker.lastPrice)).toBeLessThanOrEqual(Number(ticker.highPrice));
        expect(Number(ticker.lastPrice)).toBeGreaterThanOrEqual(Number(ticker.lowPrice));
        expect(Math.abs(ticker.closeTime - ticker.openTime - 86_400_000)).toBeLessThan(120_000);
        // Not count === lastId - firstId + 1: a recorded USDⓈ-M ticker has 188700 trades over 188705 ids.
        expect(ticker.count).toBeGreaterThan(0);
        expect(ticker.count).toBeLessThanOrEqual(ticker.lastId - ticker.firstId + 1);
      });

      it('ticker24hrPriceChangeStatistics for all: every listed perpetual, one shape', async () => {
        const response = await rest.ticker24hrPriceChangeStatistics();
        const tickers = (await response.data()) as unknown as Ticker[];
        expect(Array.isArray(tickers)).toBe(true);
        const bySymbol = new Map(tickers.map((t) => [t.symbol, t]));
        for (const symbol of perpetuals) expect(bySymbol.has(symbol), symbol).toBe(true);
        const keys = Object.keys(bySymbol.get('BTCUSDT')!).sort();
        for (const t of tickers) expect(Object.keys(t).sort(), t.symbol).toEqual(keys);
      });

      it('X-MBX-USED-WEIGHT-1M, as the connector reads it, rises with the weight spent', async () => {
        // The window is Binance's minute: if it rolls over mid-measure, measure again.
        for (let attempt = 0; attempt < 3; attempt++) {
          const first = weightOf(await rest.checkServerTime());
          const all = weightOf(await rest.ticker24hrPriceChangeStatistics()); // weight 40
          const big = weightOf(
            await rest.klineCandlestickData({ symbol: 'BTCUSDT', interval: INTERVAL['1m']!, limit: 500 }),
          ); // 5
          for (const w of [first, all, big]) {
            expect(w.header).toMatch(/^\d+$/);
            expect(w.parsed).toBe(Number(w.header));
          }
          const [a, b, c] = [first.parsed!, all.parsed!, big.parsed!];
          if (b < a || c < b) continue;
          expect(b - a).toBeGreaterThanOrEqual(40);
          expect(c - b).toBeGreaterThanOrEqual(5);
          return;
        }
        expect.fail('the used weight fell back three times in a row');
      });

      it('an unknown symbol is a BadRequestError carrying -1121', async () => {
        const error = await klines('NOSUCHUSDT', '1h', { limit: 5 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BadRequestError);
        expect(error).toMatchObject({ code: -1121, message: 'Invalid symbol.' });
      });

      it('an interval Binance does not serve is a BadRequestError carrying -1120', async () => {
        // '1s' is in the connector's enum since 28.0.0; USDⓈ-M klines still refuse it.
        const interval = '1s' as RestInterval;
        const error = await rest
          .klineCandlestickData({ symbol: 'BTCUSDT', interval })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BadRequestError);
        expect(error).toMatchObject({ code: -1120, message: 'Invalid interval.' });
      });

      it('a limit past 1500 is a BadRequestError carrying -1130', async () => {
        const error = await klines('BTCUSDT', '1m', { limit: 1501 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BadRequestError);
        expect(error).toMatchObject({
          code: -1130,
          message: "Data sent for parameter 'limit' is not valid.",
        });
      });

      it('past the weight limit: TooManyRequestsError (429) carrying -1003, then RateLimitBanError (418)', async (context) => {
        if (!target.limited)
          return context.skip('no client of a tiny weight limit here (never hammer Binance)');
        const limited = target.limited.connector.restAPI;
        for (let i = 0; i < target.limited.weightLimit; i++)
          expect((await limited.testConnectivity()).status).toBe(200);
        const limitedError = await limited.testConnectivity().catch((e: unknown) => e);
        expect(limitedError).toBeInstanceOf(TooManyRequestsError);
        expect(limitedError).toMatchObject({ code: -1003 });
        expect((limitedError as Error).message).toMatch(/^Too many requests; current limit of IP\(/);
        // Binance bans a client that keeps sending once it was told to wait (past a short grace).
        await sleep(1_200);
        const banError = await limited.testConnectivity().catch((e: unknown) => e);
        expect(banError).toBeInstanceOf(RateLimitBanError);
        expect(banError).toMatchObject({ code: -1003 });
        expect((banError as Error).message).toMatch(/^Way too many requests; IP\(.+\) banned until \d+\./);
      });
    });

    describe('WebSocket market streams', () => {
      type Connection = Awaited<ReturnType<DerivativesTradingUsdsFutures['websocketStreams']['connect']>>;
      let connection: Connection | undefined;
      /** Every frame as it arrived: the routed path of the socket that carried it, and its stream, if wrapped. */
      const frames: Array<{ path: string | undefined; stream: string | undefined }> = [];

      const open = async () => {
        connection = await target.connector.websocketStreams.connect();
        // After connect() resolves, a listener here is what keeps later socket errors from throwing.
        connection.on('error', () => {});
        connection.on('message', (text: string, socket?: { urlPath?: string }) =>
          frames.push({ path: socket?.urlPath, stream: (JSON.parse(text) as { stream?: string }).stream }),
        );
        return connection;
      };
      const subscribe = (conn: Connection, symbol: string, interval: '1m' | '5m') => {
        const events: KlineEvent[] = [];
        const stream = conn.klineCandlestickStreams({
          symbol,
          interval: interval === '1m' ? WS_INTERVAL.INTERVAL_1m : WS_INTERVAL.INTERVAL_5m,
        });
        stream.on('message', (data) => void events.push(data as unknown as KlineEvent));
        return { events, stream };
      };
      const rawFor = (stream: string) => frames.filter((f) => f.stream === stream);

      afterAll(async () => {
        await connection?.disconnect();
      });

      it('klineCandlestickStreams over /market/stream: updates of each stream every ~250 ms, with Binance’s kline fields', async () => {
        const conn = await open();
        const streams = {
          btc1m: subscribe(conn, 'btcusdt', '1m'),
          eth1m: subscribe(conn, 'ethusdt', '1m'),
          btc5m: subscribe(conn, 'btcusdt', '5m'),
        };
        try {
          expect(conn.isSubscribed('btcusdt@kline_1m')).toBe(true);
          const arrived = await until(() => Object.values(streams).every((s) => s.events.length > 0), 10_000);
          expect(arrived, 'a kline event for every stream within 10 s').toBe(true);
          // A 1m stream is quiet from a close until its final (about 2 s later, one update at most), so
          // the window must not hold a close: by the exchange's clock (event time), start after one.
          const exchangeNow = Math.max(...Object.values(streams).map((s) => s.events.at(-1)!.E));
          const toClose = STEP_MS['1m']! - (exchangeNow % STEP_MS['1m']!);
          if (toClose < 4_000) await sleep(toClose + 3_000);
          // Binance pushes the forming candle of each stream every 250 ms; 3 s give about 12.
          const counts = Object.values(streams).map((s) => s.events.length);
          await sleep(3_000);
          Object.values(streams).forEach((s, i) =>
            expect(s.events.length - counts[i]!, `updates of stream ${i} in 3 s`).toBeGreaterThanOrEqual(6),
          );
          expect(streams.btc1m.events.map((e) => klineEventProblems(e, 'BTCUSDT', '1m')).flat()).toEqual([]);
          expect(streams.eth1m.events.map((e) => klineEventProblems(e, 'ETHUSDT', '1m')).flat()).toEqual([]);
          expect(streams.btc5m.events.map((e) => klineEventProblems(e, 'BTCUSDT', '5m')).flat()).toEqual([]);
          // Kline streams are /market streams: they come on the market socket, combined-wrapped.
          const klineFrames = rawFor('btcusdt@kline_1m');
          expect(klineFrames.length).toBeGreaterThan(0);
          expect(new Set(klineFrames.map((f) => f.path))).toEqual(new Set(['market']));
        } finally {
          // Always: a callback left behind keeps the connector from sending a later test's UNSUBSCRIBE.
          for (const s of Object.values(streams)) s.stream.unsubscribe();
        }
      }, 30_000);

      it('after a close, one final kline (x: true) equal to the REST kline, then the next candle', async () => {
        const conn = connection ?? (await open());
        const { events, stream } = subscribe(conn, 'btcusdt', '1m');
        try {
          expect(await until(() => events.length > 0, 10_000), 'the stream is live').toBe(true);
          const closeTime = await target.closeOneMinuteSoon();
          const openTime = closeTime + 1 - 60_000;
          const isFinal = (e: KlineEvent) => e.k.t === openTime && e.k.x;
          expect(await until(() => events.some(isFinal), 75_000), 'a final kline of the closed minute').toBe(
            true,
          );
          expect(
            await until(() => events.some((e) => e.k.t === closeTime + 1), 10_000),
            'the next minute',
          ).toBe(true);
          await sleep(1_000);
          const finals = events.filter(isFinal);
          expect(finals).toHaveLength(1);
          const final = finals[0]!;
          expect(klineEventProblems(final, 'BTCUSDT', '1m')).toEqual([]);
          expect(final.k.T).toBe(closeTime);
          // Sent after the close (Binance: about 2 s after), and nothing about that candle after it.
          expect(final.E).toBeGreaterThan(closeTime);
          expect(final.E - closeTime).toBeLessThan(10_000);
          expect(events.slice(events.indexOf(final) + 1).every((e) => e.k.t > openTime)).toBe(true);
          const [row] = await klines('BTCUSDT', '1m', { startTime: openTime, limit: 1 });
          const k = final.k;
          expect([k.t, k.o, k.h, k.l, k.c, k.v, k.T, k.q, k.n, k.V, k.Q]).toEqual(row!.slice(0, 11));
          // Trade ids run on across candles: the next one's first trade comes after this one's last.
          const next = events.find((e) => e.k.t === closeTime + 1)!;
          expect(next.k.f, 'first trade id of the next candle').toBeGreaterThan(k.L);
        } finally {
          stream.unsubscribe();
        }
      }, 120_000);

      it('forty kline streams over the one market socket, subscribed within Binance’s 10 messages a second', async () => {
        const conn = connection ?? (await open());
        const symbols = perpetuals.slice(0, 40);
        const streams = new Map<string, KlineEvent[]>();
        const handles: Array<{ unsubscribe(): void }> = [];
        try {
          // Each stream method sends a SUBSCRIBE of its own, and Binance drops a connection past 10
          // incoming messages a second: five a second leaves room for the pongs. (conn.subscribe(names)
          // would send one frame, but spreads the names round-robin over the market, public and
          // private sockets, and Binance pushes klines on /market only.)
          for (let i = 0; i < symbols.length; i += 5) {
            for (const symbol of symbols.slice(i, i + 5)) {
              const { events, stream } = subscribe(conn, symbol.toLowerCase(), '1m');
              streams.set(symbol, events);
              handles.push(stream);
            }
            await sleep(1_100);
          }
          const received = () => symbols.filter((s) => (streams.get(s)?.length ?? 0) > 0);
          expect(await until(() => received().length === symbols.length, 15_000)).toBe(true);
          expect(received()).toEqual(symbols);
          for (const [symbol, events] of streams)
            expect(klineEventProblems(events.at(-1)!, symbol, '1m')).toEqual([]);
          const paths = new Set(frames.filter((f) => f.stream?.endsWith('@kline_1m')).map((f) => f.path));
          expect(paths).toEqual(new Set(['market']));
        } finally {
          // An UNSUBSCRIBE per stream too, at the same pace; always: a callback left would keep a later
          // test's UNSUBSCRIBE from being sent.
          for (let i = 0; i < handles.length; i += 5) {
            for (const handle of handles.slice(i, i + 5)) handle.unsubscribe();
            await sleep(1_100);
          }
        }
      }, 60_000);

      it('unsubscribe stops a stream at the exchange; disconnect closes every socket', async () => {
        const conn = connection ?? (await open());
        const eth = subscribe(conn, 'ethusdt', '1m');
        const btc = subscribe(conn, 'btcusdt', '1m');
        expect(await until(() => eth.events.length > 0 && btc.events.length > 0, 10_000)).toBe(true);
        eth.stream.unsubscribe();
        expect(conn.isSubscribed('ethusdt@kline_1m')).toBe(false);
        await sleep(1_000); // frames already on the way
        const before = { eth: rawFor('ethusdt@kline_1m').length, btc: btc.events.length };
        // 3 s: longer than a 1m stream's quiet time between a close and its final (2 s ± 0.4 s).
        await sleep(3_000);
        // The raw frames show what the exchange still sends, whether or not a callback is left.
        expect(rawFor('ethusdt@kline_1m').length).toBe(before.eth);
        expect(btc.events.length).toBeGreaterThan(before.btc);

        await conn.disconnect();
        connection = undefined;
        // disconnect() resolves at once; the sockets close about a second later.
        expect(await until(() => !conn.isConnected(), 5_000), 'the connector sees its sockets closed').toBe(
          true,
        );
        if (target.openStreamConnections) {
          const count = target.openStreamConnections.bind(target);
          expect(await until(() => count() === 0, 5_000), 'the exchange sees no connection left').toBe(true);
        }
        const after = frames.length;
        await sleep(1_000);
        expect(frames.length).toBe(after);
      }, 30_000);
    });
  });
}
