import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Simulator } from '../../src/simulator/server.js';
import { admin, startTestSimulator } from '../helpers/simulator.js';
import { kindOf, loadRecording, shapeDifferences } from '../helpers/payload-shape.js';
import { CONTRACT_STATUSES, CONTRACT_TYPES, KLINE_INTERVALS } from '../helpers/binance-spec.js';

/**
 * The simulator's answers, field by field, against payloads recorded from
 * Binance (or, where no recording was found, Binance's doc examples; each
 * fixture names its source and says which it is). A failing test here is a
 * difference between the simulator and the exchange, listed by field.
 */

const FILTERS = { elementKeys: { filters: 'filterType' } };
const isEpochMs = (value: unknown) =>
  Number.isInteger(value) && (value as number) >= 1e12 && (value as number) < 1e13;

interface Answer {
  status: number;
  /** Header names exactly as they came over the wire. */
  rawHeaderNames: string[];
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A GET as plain HTTP: the answer's status, header names as sent, and body, untouched by any client. */
function get(sim: Simulator, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request(`${sim.url}${path}`, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          rawHeaderNames: res.rawHeaders.filter((_, i) => i % 2 === 0),
          headers: res.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}

interface Frames {
  messages: unknown[];
  socket: WebSocket;
  next(predicate: (message: unknown) => boolean, timeoutMs?: number): Promise<unknown>;
}

/** A WebSocket to the simulator, every text frame parsed and kept. */
async function frames(url: string): Promise<Frames> {
  const socket = new WebSocket(url);
  const messages: unknown[] = [];
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8'))));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    messages,
    socket,
    async next(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(predicate);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no such frame within ${timeoutMs} ms on ${url}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}

type KlineData = { e: string; E: number; k: { t: number; T: number; x: boolean } };
const isKline = (m: unknown): m is KlineData =>
  typeof m === 'object' && m !== null && (m as { e?: unknown }).e === 'kline';
const wrappedKline = (m: unknown) => isKline((m as { data?: unknown }).data);

describe('the simulator’s payloads against payloads recorded from Binance', () => {
  let sim: Simulator;
  const sockets: WebSocket[] = [];
  const open = async (path: string) => {
    const f = await frames(`${sim.wsUrl}${path}`);
    sockets.push(f.socket);
    return f;
  };

  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(async () => {
    for (const s of sockets) s.terminate();
    await sim?.close();
  });

  describe('GET /fapi/v1/time and /fapi/v1/ping', () => {
    it('time: {serverTime} in integer epoch ms, as recorded', async () => {
      const { body } = await get(sim, '/fapi/v1/time');
      const recorded = loadRecording('time').payload;
      expect(shapeDifferences(recorded, body)).toEqual([]);
      expect(isEpochMs((body as { serverTime: unknown }).serverTime)).toBe(true);
    });

    it('ping: {}', async () => {
      expect((await get(sim, '/fapi/v1/ping')).body).toEqual(loadRecording('ping').payload);
    });
  });

  describe('GET /fapi/v1/klines', () => {
    let rows: unknown[][];
    beforeAll(async () => {
      rows = (await get(sim, '/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=3')).body as unknown[][];
    });

    it('rows of 12 fields, each of the recorded JSON type at its position (doc example)', () => {
      expect(shapeDifferences(loadRecording('klines-doc-example').payload, rows)).toEqual([]);
    });

    it('BTCUSDT rows as recorded on mainnet, decimals included (prices 2, quantities 3, quote volumes 5)', () => {
      const recorded = loadRecording('klines-btcusdt-1m-mainnet-2020').payload;
      expect(shapeDifferences(recorded, rows, { decimals: true })).toEqual([]);
    });

    it('open and close times are epoch ms, a minute apart less one, as recorded', () => {
      const recorded = loadRecording('klines-btcusdt-1m-mainnet-2020').payload as unknown[][];
      for (const row of [...recorded, ...rows]) {
        expect(isEpochMs(row[0]) && isEpochMs(row[6])).toBe(true);
        expect((row[6] as number) - (row[0] as number)).toBe(59_999);
        expect(row[11]).toBe('0');
      }
    });
  });

  describe('GET /fapi/v1/exchangeInfo', () => {
    let body: {
      rateLimits: unknown[];
      symbols: Array<Record<string, unknown> & { symbol: string; filters: Array<{ filterType: string }> }>;
    };
    let btc: (typeof body.symbols)[number];
    beforeAll(async () => {
      body = (await get(sim, '/fapi/v1/exchangeInfo')).body as typeof body;
      btc = body.symbols.find((s) => s.symbol === 'BTCUSDT')!;
    });

    it('top level, rateLimits and assets: the recorded keys and types (testnet, 2022)', () => {
      const recorded = loadRecording('exchangeinfo-testnet-2022').payload as Record<string, unknown>;
      // Symbol entries are compared below against newer recordings.
      const top = (payload: Record<string, unknown>) => ({ ...payload, symbols: [] });
      expect(shapeDifferences(top(recorded), top(body))).toEqual([]);
    });

    it('rateLimits: the three recorded on mainnet, values included (2026-09-30)', () => {
      expect(body.rateLimits).toEqual(loadRecording('exchangeinfo-ratelimits-mainnet-2026-09-30').payload);
    });

    it('a symbol entry has the keys and types of the newest recorded entry (XAUUSDT, 2026-09)', () => {
      const [recorded] = (
        loadRecording('exchangeinfo-symbol-xauusdt-mainnet-2026-09').payload as { symbols: unknown[] }
      ).symbols;
      expect(shapeDifferences(recorded, btc, FILTERS)).toEqual([]);
    });

    it('BTCUSDT has the keys of the live BTCUSDT entry (2026-09-30)', () => {
      const { keys } = loadRecording('exchangeinfo-btcusdt-mainnet-2026-09-30').payload as { keys: string[] };
      const actual = Object.keys(btc);
      expect({
        missing: keys.filter((k) => !actual.includes(k)),
        extra: actual.filter((k) => !keys.includes(k)),
      }).toEqual({ missing: [], extra: [] });
    });

    it('BTCUSDT filters: the live filter types, keys, types and decimals (2026-09-30)', () => {
      const { filters } = loadRecording('exchangeinfo-btcusdt-mainnet-2026-09-30').payload as {
        filters: unknown[];
      };
      expect(shapeDifferences({ filters }, { filters: btc.filters }, { ...FILTERS, decimals: true })).toEqual(
        [],
      );
    });

    it('BTCUSDT entry against a recorded BTCUSDT entry (2024-25), decimals included, but for what Binance changed since', () => {
      const recorded = loadRecording('exchangeinfo-symbol-btcusdt-mainnet-2025').payload;
      // The 2026 shape (the two tests above): settlePlan and MAX_NUM_ALGO_ORDERS gone (2025-12-29),
      // permissionSets and POSITION_RISK_CONTROL new. Everything else must still agree.
      const changedSince = [
        'settlePlan: missing (recorded 0)',
        'permissionSets: extra (not recorded), ["GRID","COPY","RPI","DCA","PSB"]',
        'filters[MAX_NUM_ALGO_ORDERS]: missing (recorded {"filterType":"MAX_NUM_ALGO_ORDERS","limit":10})',
        'filters[POSITION_RISK_CONTROL]: extra (not recorded), {"filterType":"POSITION_RISK_CONTROL","positionControlSide":"NONE"}',
      ];
      expect(shapeDifferences(recorded, btc, { ...FILTERS, decimals: true })).toEqual(changedSince);
    });

    it('BTCUSDT precision and steps as recorded: they fix the decimals of every BTCUSDT price and quantity', () => {
      const recorded = loadRecording('exchangeinfo-symbol-btcusdt-mainnet-2025').payload as typeof btc;
      const rules = (s: typeof btc) => {
        const filter = (type: string) =>
          s.filters.find((f) => f.filterType === type) as Record<string, unknown>;
        return {
          pricePrecision: s.pricePrecision,
          quantityPrecision: s.quantityPrecision,
          tickSize: filter('PRICE_FILTER').tickSize,
          stepSize: filter('LOT_SIZE').stepSize,
        };
      };
      expect(rules(btc)).toEqual(rules(recorded));
    });

    it('statuses and contract types are Binance’s enums; dates are epoch ms', () => {
      const recorded = [
        ...(
          loadRecording('exchangeinfo-symbol-xauusdt-mainnet-2026-09').payload as {
            symbols: typeof body.symbols;
          }
        ).symbols,
        loadRecording('exchangeinfo-symbol-btcusdt-mainnet-2025').payload as (typeof body.symbols)[number],
      ];
      for (const s of [...recorded, ...body.symbols]) {
        expect(CONTRACT_STATUSES, s.symbol).toContain(s.status);
        expect(CONTRACT_TYPES, s.symbol).toContain(s.contractType);
        expect(isEpochMs(s.deliveryDate) && isEpochMs(s.onboardDate), s.symbol).toBe(true);
      }
    });
  });

  describe('GET /fapi/v1/ticker/24hr', () => {
    it('one symbol: the keys and types of Binance’s example (doc example)', async () => {
      const { body } = await get(sim, '/fapi/v1/ticker/24hr?symbol=BTCUSDT');
      expect(shapeDifferences(loadRecording('ticker-24hr-doc-example').payload, body)).toEqual([]);
      const t = body as { openTime: unknown; closeTime: unknown };
      expect(isEpochMs(t.openTime) && isEpochMs(t.closeTime)).toBe(true);
    });

    it('all symbols: an array of that same object', async () => {
      const { body } = await get(sim, '/fapi/v1/ticker/24hr');
      expect(Array.isArray(body)).toBe(true);
      expect(shapeDifferences([loadRecording('ticker-24hr-doc-example').payload], body)).toEqual([]);
    });
  });

  describe('kline stream events', () => {
    it('raw, on /market/ws/<stream>: the bare event as recorded on mainnet, decimals included', async () => {
      const ws = await open('/market/ws/btcusdt@kline_1m');
      const event = await ws.next(isKline);
      expect(
        shapeDifferences(loadRecording('kline-event-raw-mainnet-2026-09-30').payload, event, {
          decimals: true,
        }),
      ).toEqual([]);
    });

    it('combined, on /market/stream?streams=: {stream, data} as recorded on mainnet, decimals included', async () => {
      const ws = await open('/market/stream?streams=btcusdt@kline_1m');
      const event = await ws.next(wrappedKline);
      expect(
        shapeDifferences(loadRecording('kline-event-combined-mainnet-2026-09-09').payload, event, {
          decimals: true,
        }),
      ).toEqual([]);
    });

    it('SUBSCRIBE on /market/stream: the recorded ack, then combined events', async () => {
      const ws = await open('/market/stream');
      ws.socket.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@kline_1m'], id: 1 }));
      const ack = await ws.next((m) => (m as { id?: unknown }).id === 1);
      expect(ack).toEqual(loadRecording('subscribe-ack').payload);
      const event = await ws.next(wrappedKline);
      expect(
        shapeDifferences(loadRecording('kline-event-combined-mainnet-2026-09-09').payload, event),
      ).toEqual([]);
    });

    it('the final event of a candle (x: true): the recorded shape, sent after its close', async () => {
      const ws = await open('/market/stream?streams=btcusdt@kline_1m');
      await ws.next(wrappedKline);
      const now = sim.clock.now();
      const close = (Math.floor((now + 2_000) / 60_000) + 1) * 60_000 - 1;
      await admin(sim, '/admin/clock', { set: close - 800 });
      const final = (await ws.next((m) => {
        const data = (m as { data?: KlineData }).data;
        return data?.k?.t === close + 1 - 60_000 && data.k.x;
      }, 15_000)) as { data: KlineData };
      // Testnet's BTCUSDT has other steps than mainnet's: keys and types only.
      expect(shapeDifferences(loadRecording('kline-event-final-testnet').payload, final)).toEqual([]);
      const recorded = (loadRecording('kline-event-final-testnet').payload as { data: KlineData }).data;
      for (const event of [recorded, final.data]) {
        expect(event.k.T).toBe(event.k.t + 59_999);
        expect(event.E).toBeGreaterThan(event.k.T);
      }
    }, 30_000);

    it('intervals and times of every event are Binance’s', async () => {
      const ws = await open('/market/stream?streams=btcusdt@kline_1m/ethusdt@kline_5m/solusdt@kline_1h');
      await ws.next((m) => (m as { stream?: string }).stream === 'solusdt@kline_1h');
      const recorded = ['kline-event-raw-mainnet-2026-09-30', 'kline-event-combined-mainnet-2026-09-09'].map(
        (name) => {
          const payload = loadRecording(name).payload as { data?: KlineData };
          return (payload.data ?? payload) as KlineData & { k: { i: string } };
        },
      );
      const answered = ws.messages.map((m) => (m as { data: KlineData & { k: { i: string } } }).data);
      for (const event of [...recorded, ...answered]) {
        expect(KLINE_INTERVALS).toContain(event.k.i);
        expect(isEpochMs(event.E) && isEpochMs(event.k.t) && isEpochMs(event.k.T)).toBe(true);
      }
    });
  });

  describe('errors and headers', () => {
    const errors: Array<[string, string]> = [
      ['error-invalid-symbol', '/fapi/v1/klines?symbol=NOSUCHUSDT&interval=1m'],
      ['error-invalid-interval', '/fapi/v1/klines?symbol=BTCUSDT&interval=1s'],
      ['error-invalid-limit', '/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=1501'],
    ];
    for (const [name, path] of errors) {
      it(`${name}: HTTP 400 and the recorded {code, msg}`, async () => {
        const answer = await get(sim, path);
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual(loadRecording(name).payload);
      });
    }

    /** A message with its IP and numbers masked: what Binance's wording is, whatever the limit and the client. */
    const template = (msg: string) => msg.replace(/IP\([^)]*\)/g, 'IP(…)').replace(/\d+/g, 'N');

    it('429 past the weight limit, then 418: the recorded {code, msg}, wording included', async () => {
      const limited = await startTestSimulator({
        symbols: 5,
        weightLimit: 3,
        weightWindowMs: 10_000,
        banBaseMs: 5_000,
      });
      try {
        for (let i = 0; i < 3; i++) expect((await get(limited, '/fapi/v1/ping')).status).toBe(200);
        const tooMany = await get(limited, '/fapi/v1/ping');
        await new Promise((resolve) => setTimeout(resolve, 1_200)); // past the ban's grace
        const banned = await get(limited, '/fapi/v1/ping');
        const recorded = {
          tooMany: loadRecording('error-too-many-requests').payload as { code: number; msg: string },
          banned: loadRecording('error-banned').payload as { code: number; msg: string },
        };
        expect([tooMany.status, banned.status]).toEqual([429, 418]);
        for (const [answer, want] of [
          [tooMany, recorded.tooMany],
          [banned, recorded.banned],
        ] as const) {
          expect(shapeDifferences(want, answer.body)).toEqual([]);
          const body = answer.body as { code: number; msg: string };
          expect({ code: body.code, msg: template(body.msg) }).toEqual({
            code: want.code,
            msg: template(want.msg),
          });
        }
      } finally {
        await limited.close();
      }
    });

    it('the used-weight header: present, an integer string, its name in lower case as on the wire', async () => {
      const answer = await get(sim, '/fapi/v1/time');
      const [[name, value]] = Object.entries(
        loadRecording('headers-used-weight').payload as Record<string, string>,
      ) as [[string, string]];
      expect(kindOf(answer.headers[name])).toBe(kindOf(value));
      expect(answer.headers[name]).toMatch(/^\d+$/);
      expect(answer.rawHeaderNames).toContain(name);
    });
  });
});
