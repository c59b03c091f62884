import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/server.js';
import { startTestSimulator } from '../helpers/simulator.js';

/** The REST protocol at the HTTP level: shapes, codes, weights, headers. */
describe('simulator REST protocol', () => {
  let sim: Simulator;
  const get = async (path: string) => {
    const response = await fetch(`${sim.url}${path}`);
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as unknown };
  };
  beforeAll(async () => {
    sim = await startTestSimulator({ symbols: 30 });
  });
  afterAll(() => sim.close());

  it('answers klines as Binance does: 12-field rows, strings for decimals', async () => {
    const { status, body } = await get('/fapi/v1/klines?symbol=BTCUSDT&interval=15m&limit=3');
    expect(status).toBe(200);
    const rows = body as unknown[][];
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toHaveLength(12);
      expect(typeof row[0]).toBe('number');
      expect(row[6]).toBe((row[0] as number) + 900_000 - 1);
      for (const i of [1, 2, 3, 4, 5, 7, 9, 10]) expect(row[i]).toMatch(/^\d+(\.\d+)?$/);
      expect(Number.isInteger(row[8])).toBe(true);
    }
  });

  it.each([
    [1, 1],
    [99, 1],
    [100, 2],
    [499, 2],
    [500, 5],
    [1000, 5],
    [1001, 10],
    [1500, 10],
  ])('charges klines limit %i a weight of %i, reported in X-MBX-USED-WEIGHT-1M', async (limit, weight) => {
    sim.limiter.reset();
    const { headers } = await get(`/fapi/v1/klines?symbol=ETHUSDT&interval=1h&limit=${limit}`);
    expect(Number(headers.get('x-mbx-used-weight-1m'))).toBe(weight);
  });

  it('charges 40 for all tickers and 1 for one', async () => {
    sim.limiter.reset();
    await get('/fapi/v1/ticker/24hr');
    const { headers } = await get('/fapi/v1/ticker/24hr?symbol=BTCUSDT');
    expect(Number(headers.get('x-mbx-used-weight-1m'))).toBe(41);
  });

  it.each([
    ['/fapi/v1/klines?symbol=NOPEUSDT&interval=1h', 400, -1121],
    ['/fapi/v1/klines?symbol=BTCUSDT&interval=7m', 400, -1120],
    ['/fapi/v1/klines?interval=1h', 400, -1102],
    ['/fapi/v1/klines?symbol=BTCUSDT', 400, -1102],
    ['/fapi/v1/klines?symbol=BTCUSDT&interval=1h&limit=abc', 400, -1100],
    ['/fapi/v1/klines?symbol=BTCUSDT&interval=1h&limit=1501', 400, -1130],
    ['/fapi/v1/klines?symbol=BTCUSDT&interval=1h&limit=0', 400, -1130],
    ['/fapi/v1/klines?symbol=BTCUSDT&interval=1h&startTime=20&endTime=10', 400, -1023],
    ['/fapi/v1/klines?symbol=BTCUSDT&symbol=ETHUSDT&interval=1h', 400, -1101],
    ['/fapi/v1/ticker/24hr?symbol=NOPEUSDT', 400, -1121],
    ['/fapi/v9/nothing', 404, -5000],
  ])('%s answers %i with code %i', async (path, status, code) => {
    const response = await get(path);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ code, msg: expect.any(String) as string });
  });

  it('selects by startTime forward and by endTime backward', async () => {
    const { body: latest } = await get('/fapi/v1/klines?symbol=SOLUSDT&interval=5m&limit=10');
    const rows = latest as number[][];
    const start = rows[2]![0]!;
    const { body: forward } = await get(
      `/fapi/v1/klines?symbol=SOLUSDT&interval=5m&startTime=${start}&limit=3`,
    );
    expect((forward as number[][]).map((r) => r[0])).toEqual(rows.slice(2, 5).map((r) => r[0]));
    const { body: backward } = await get(
      `/fapi/v1/klines?symbol=SOLUSDT&interval=5m&endTime=${rows[5]![0]}&limit=3`,
    );
    expect((backward as number[][]).map((r) => r[0])).toEqual(rows.slice(3, 6).map((r) => r[0]));
  });

  it('has at least 1000 candles of history on every interval from 1m to 1d', async () => {
    for (const interval of ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d']) {
      const { body } = await get(`/fapi/v1/klines?symbol=XRPUSDT&interval=${interval}&limit=1000`);
      expect(body as unknown[], interval).toHaveLength(1000);
    }
  });

  it('answers time, ping and exchangeInfo', async () => {
    const before = sim.clock.now();
    const { body: time } = await get('/fapi/v1/time');
    expect((time as { serverTime: number }).serverTime).toBeGreaterThanOrEqual(before);
    expect((await get('/fapi/v1/ping')).body).toEqual({});
    const { body: info } = await get('/fapi/v1/exchangeInfo');
    const symbols = (info as { symbols: Array<{ symbol: string; status: string; filters: unknown[] }> })
      .symbols;
    expect(symbols.filter((s) => s.status === 'TRADING' && s.symbol.endsWith('USDT'))).toHaveLength(30);
    expect(symbols[0]!.filters.length).toBeGreaterThan(3);
  });

  it('admin endpoints reject bad requests with a reason', async () => {
    const response = await fetch(`${sim.url}/admin/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceMs: -5 }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/advanceMs/);
    const back = await fetch(`${sim.url}/admin/clock`, {
      method: 'POST',
      body: JSON.stringify({ set: 1000 }),
    });
    expect(back.status).toBe(400);
    expect(((await back.json()) as { error: string }).error).toMatch(/only moves forward/);
  });
});
