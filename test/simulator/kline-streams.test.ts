import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/server.js';
import { admin, startTestSimulator } from '../helpers/simulator.js';
import { type Client, connect, refusal, sleep, until } from './ws-client.js';

const MINUTE = 60_000;
/** Leaders: their candles change between any two updates, so every update is pushed. */
const LEADERS = ['btcusdt', 'ethusdt', 'solusdt', 'xrpusdt', 'bnbusdt', 'dogeusdt'];

/**
 * The clock of a test that counts updates starts here, well away from any
 * 1m or 5m close: for about 2 s after a close a stream holds its updates
 * until the final (as Binance does), which would starve a short window.
 */
const CALM = { startTime: Date.UTC(2026, 0, 5, 10, 0, 10) };

const klinesOf = (client: Client, symbol: string) => client.klines().filter((k) => k.event.s === symbol);

describe('simulator kline streams: routes (Binance since the 2026-04-23 URL split)', () => {
  let sim: Simulator;
  afterEach(() => sim?.close());

  it('/market/ws/<stream>/<stream>: raw events of every stream in the path', async () => {
    sim = await startTestSimulator({ ...CALM, symbols: 10 });
    const client = await connect(sim, '/market/ws/btcusdt@kline_1m/ethusdt@kline_5m');
    await until(() => klinesOf(client, 'ETHUSDT').length > 0 && klinesOf(client, 'BTCUSDT').length > 0);
    const eth = klinesOf(client, 'ETHUSDT')[0]!;
    expect(eth.stream).toBeUndefined(); // raw: not wrapped
    expect(eth.event.k.i).toBe('5m');
    expect(eth.event.k.x).toBe(false);
    expect(await client.request({ method: 'LIST_SUBSCRIPTIONS', id: 1 })).toEqual({
      result: ['btcusdt@kline_1m', 'ethusdt@kline_5m'],
      id: 1,
    });
    expect(await client.request({ method: 'GET_PROPERTY', params: ['combined'], id: 2 })).toEqual({
      result: false,
      id: 2,
    });
    client.socket.close();
  });

  it('/market/ws/0 then SUBSCRIBE (as ccxt does), UNSUBSCRIBE silences a stream', async () => {
    sim = await startTestSimulator({ ...CALM, symbols: 10 });
    const client = await connect(sim, '/market/ws/0');
    const ack = await client.request({
      method: 'SUBSCRIBE',
      params: ['btcusdt@kline_1m', 'ethusdt@kline_5m'],
      id: 1,
    });
    expect(ack).toEqual({ result: null, id: 1 });
    // The path's stream index is no stream.
    expect(await client.request({ method: 'LIST_SUBSCRIPTIONS', id: 2 })).toEqual({
      result: ['btcusdt@kline_1m', 'ethusdt@kline_5m'],
      id: 2,
    });
    await until(() => klinesOf(client, 'ETHUSDT').length > 0 && klinesOf(client, 'BTCUSDT').length > 0);
    expect(await client.request({ method: 'UNSUBSCRIBE', params: ['ethusdt@kline_5m'], id: 3 })).toEqual({
      result: null,
      id: 3,
    });
    await sleep(50);
    const eth = klinesOf(client, 'ETHUSDT').length;
    const btc = klinesOf(client, 'BTCUSDT').length;
    await sleep(600);
    expect(klinesOf(client, 'ETHUSDT').length).toBe(eth);
    expect(klinesOf(client, 'BTCUSDT').length).toBeGreaterThan(btc);
    client.socket.close();
  });

  it('/market/stream?streams=a/b and /market/stream + SUBSCRIBE: events wrapped in {"stream","data"}; SET_PROPERTY combined switches', async () => {
    sim = await startTestSimulator({ ...CALM, symbols: 10 });
    const inUrl = await connect(sim, '/market/stream?streams=btcusdt@kline_1m/solusdt@kline_15m');
    // Binance's connector dials an empty list and subscribes with 32-hex string ids.
    const subscribed = await connect(sim, '/market/stream?streams=');
    subscribed.send({
      method: 'SUBSCRIBE',
      params: ['ethusdt@kline_1m'],
      id: 'b8f77b25458c8d3706e8aa90ea8957a1',
    });
    await until(() => subscribed.messages.some((m) => m.id === 'b8f77b25458c8d3706e8aa90ea8957a1'));
    await until(() => inUrl.klines().length >= 2 && subscribed.klines().length > 0);
    for (const { stream, event } of inUrl.klines()) {
      expect(stream).toBe(`${event.s.toLowerCase()}@kline_${event.k.i}`);
    }
    expect(subscribed.klines()[0]!.stream).toBe('ethusdt@kline_1m');
    expect(await subscribed.request({ method: 'GET_PROPERTY', params: ['combined'], id: 1 })).toEqual({
      result: true,
      id: 1,
    });
    expect(await subscribed.request({ method: 'SET_PROPERTY', params: ['combined', false], id: 2 })).toEqual({
      result: null,
      id: 2,
    });
    const count = subscribed.arrivals.length;
    await until(() => subscribed.arrivals.slice(count).some((a) => a.message.e === 'kline'));
    expect(subscribed.arrivals.slice(count).every((a) => a.message.stream === undefined)).toBe(true);
    inUrl.socket.close();
    subscribed.socket.close();
  });

  it('retired unrouted paths and /public, /private: accepted and acknowledged, but no kline is ever pushed', async () => {
    sim = await startTestSimulator({ ...CALM, symbols: 10 });
    const market = await connect(sim, '/market/ws/btcusdt@kline_1m');
    const silent = await Promise.all(
      [
        '/ws',
        '/ws/btcusdt@kline_1m',
        '/stream?streams=btcusdt@kline_1m',
        '/public/ws/btcusdt@kline_1m',
        '/public/stream?streams=btcusdt@kline_1m',
        '/private/ws?listenKey=abc',
      ].map((path) => connect(sim, path)),
    );
    for (const [i, client] of silent.entries()) {
      expect(await client.request({ method: 'SUBSCRIBE', params: ['ethusdt@kline_1m'], id: 10 + i })).toEqual(
        {
          result: null,
          id: 10 + i,
        },
      );
      const listed = (await client.request({ method: 'LIST_SUBSCRIPTIONS', id: 20 + i })).result as string[];
      expect(listed).toContain('ethusdt@kline_1m');
    }
    await sleep(1_000);
    // Meanwhile the /market connection got its updates.
    expect(market.klines().length).toBeGreaterThanOrEqual(3);
    for (const client of silent) {
      expect(client.klines()).toEqual([]);
      expect(client.socket.readyState).toBe(client.socket.OPEN);
    }
    expect(sim.streams.connectionCount).toBe(7);
    for (const client of [market, ...silent]) client.socket.close();
  });

  it('refuses an upgrade to a path Binance does not serve with 404', async () => {
    sim = await startTestSimulator({ ...CALM, symbols: 5 });
    for (const path of [
      '/',
      '/foo',
      '/market',
      '/market/foo',
      '/streams',
      '/market/stream/btcusdt@kline_1m',
    ]) {
      expect(await refusal(sim, path), path).toBe(404);
    }
    expect(await refusal(sim, '/market/ws')).toBeUndefined();
    expect(sim.stats.ws.opened).toBe(1); // only that one
  });
});

describe('simulator kline streams: cadence and final klines', () => {
  let sim: Simulator;
  afterEach(() => sim?.close());

  it('pushes each stream about every 250 ms, each at its own moments (not one burst for all)', async () => {
    sim = await startTestSimulator({ ...CALM, symbols: 10 });
    const names = LEADERS.flatMap((s) => [`${s}@kline_1m`, `${s}@kline_5m`]);
    const client = await connect(sim, `/market/ws/${names.join('/')}`);
    await until(() => client.klines().length > 0);
    await sleep(300); // every stream has had its first turn
    const from = performance.now();
    await sleep(2_000);
    const window = client.klines().filter((k) => k.at >= from && k.at < from + 2_000);
    const byStream = new Map<string, number[]>();
    for (const { at, event } of window) {
      const name = `${event.s.toLowerCase()}@kline_${event.k.i}`;
      byStream.set(name, [...(byStream.get(name) ?? []), at]);
    }
    expect([...byStream.keys()].sort()).toEqual([...names].sort());
    for (const [name, times] of byStream) {
      // 2 s at 250 ms: 8 updates (7 to 9 with timer jitter), about 250 ms apart.
      expect(times.length, name).toBeGreaterThanOrEqual(7);
      expect(times.length, name).toBeLessThanOrEqual(9);
      const gaps = times
        .slice(1)
        .map((t, i) => t - times[i]!)
        .sort((a, b) => a - b);
      const median = gaps[Math.floor(gaps.length / 2)]!;
      expect(median, name).toBeGreaterThan(200);
      expect(median, name).toBeLessThan(300);
    }
    // Spread: arrivals form many separate moments, not 8 bursts of 12.
    const times = window.map((k) => k.at).sort((a, b) => a - b);
    const moments = times.filter((t, i) => i === 0 || t - times[i - 1]! > 3).length;
    expect(moments).toBeGreaterThanOrEqual(30);
    client.socket.close();
  });

  it('sends the final kline about 2 s after the close by the exchange clock, after the candle’s last update and before the next candle', async () => {
    const close = Date.UTC(2026, 0, 5, 10, 1);
    // Five times real time: the close comes 0.2 s after start, its finals about 0.4 s later.
    sim = await startTestSimulator({ symbols: 10, speed: 5, startTime: close - 1_000 });
    const started = performance.now();
    const client = await connect(sim, `/market/ws/${LEADERS.map((s) => `${s}@kline_1m`).join('/')}`);
    const finalOf = (symbol: string) => klinesOf(client, symbol).find((k) => k.event.k.x);
    await until(() => LEADERS.every((s) => finalOf(s.toUpperCase())), 5_000);
    expect(performance.now() - started).toBeLessThan(2_000); // exchange time, not real: 2 s / 5
    await until(() =>
      LEADERS.every((s) => klinesOf(client, s.toUpperCase()).some((k) => k.event.k.t === close)),
    );
    const delays: number[] = [];
    for (const symbol of LEADERS.map((s) => s.toUpperCase())) {
      const events = klinesOf(client, symbol).map((k) => k.event);
      const finals = events.filter((e) => e.k.x);
      expect(finals, symbol).toHaveLength(1);
      const final = finals[0]!;
      expect(final.k.t).toBe(close - MINUTE);
      expect(final.k.T).toBe(close - 1);
      const delay = final.E - close;
      delays.push(delay);
      // 2 s ± 0.4 s, plus a wheel tick (10 ms real = 50 ms here) and scheduling on a busy machine.
      expect(delay, symbol).toBeGreaterThanOrEqual(1_600);
      expect(delay, symbol).toBeLessThanOrEqual(2_400 + 600);
      const index = events.indexOf(final);
      // Before the final only the closing candle; after the close at most one update of it (its last trades).
      expect(events.slice(0, index).every((e) => e.k.t === close - MINUTE && !e.k.x)).toBe(true);
      expect(events.slice(0, index).filter((e) => e.E >= close).length).toBeLessThanOrEqual(1);
      expect(events.slice(index + 1).every((e) => e.k.t === close)).toBe(true);
      // The final is the candle REST serves.
      const rest = (await (
        await fetch(`${sim.url}/fapi/v1/klines?symbol=${symbol}&interval=1m&startTime=${final.k.t}&limit=1`)
      ).json()) as string[][];
      expect([final.k.o, final.k.h, final.k.l, final.k.c, final.k.v]).toEqual(rest[0]!.slice(1, 6));
    }
    // Drawn per stream: not all the same delay.
    expect(new Set(delays).size).toBeGreaterThan(1);
    client.socket.close();
  });

  it('crosses many candle closes in seconds on an accelerated clock, one final per candle', async () => {
    sim = await startTestSimulator({
      symbols: 5,
      klineUpdateMs: 50,
      speed: 600,
      startTime: Date.UTC(2026, 0, 5),
    });
    const client = await connect(sim, '/market/stream?streams=btcusdt@kline_1m/ethusdt@kline_5m');
    const finalsOf = (stream: string) =>
      client
        .klines()
        .filter((k) => k.event.k.x && k.stream === stream)
        .map((k) => k.event.k.t);
    // Waits for what is counted: a slow start can make a stream's first candle the second minute.
    await until(
      () => finalsOf('ethusdt@kline_5m').length >= 2 && finalsOf('btcusdt@kline_1m').length >= 10,
      10_000,
    );
    const times = finalsOf('btcusdt@kline_1m');
    expect(times.length).toBeGreaterThanOrEqual(10);
    times.forEach((t, i) => i > 0 && expect(t - times[i - 1]!).toBe(MINUTE));
    client.socket.close();
  });

  it('catches up on at most the last 10 closed candles after the clock jumps', async () => {
    const start = Date.UTC(2026, 0, 5, 10, 0, 30);
    sim = await startTestSimulator({ symbols: 5, startTime: start });
    const client = await connect(sim, '/market/ws/btcusdt@kline_1m');
    await until(() => client.klines().length > 0);
    await admin(sim, '/admin/clock', { advanceMs: 60 * MINUTE });
    await sleep(500);
    const finals = client
      .klines()
      .filter((k) => k.event.k.x)
      .map((k) => k.event.k.t);
    const current = Date.UTC(2026, 0, 5, 11, 0);
    expect(finals).toEqual(Array.from({ length: 10 }, (_, i) => current - (10 - i) * MINUTE));
    expect(client.klines().at(-1)!.event.k.t).toBe(current);
    client.socket.close();
  });

  it('a delisted symbol’s streams fall silent; the others go on', async () => {
    sim = await startTestSimulator({ ...CALM, symbols: 10 });
    const client = await connect(sim, '/market/ws/btcusdt@kline_1m/ethusdt@kline_1m');
    await until(() => klinesOf(client, 'ETHUSDT').length > 0 && klinesOf(client, 'BTCUSDT').length > 0);
    await admin(sim, '/admin/delist', { symbol: 'ETHUSDT' });
    await sleep(50);
    const eth = klinesOf(client, 'ETHUSDT').length;
    const btc = klinesOf(client, 'BTCUSDT').length;
    await sleep(700);
    expect(klinesOf(client, 'ETHUSDT').length).toBe(eth);
    expect(klinesOf(client, 'BTCUSDT').length).toBeGreaterThan(btc);
    client.socket.close();
  });

  it('an old-style test asks for the old behaviour: klines on unrouted /ws, prompt finals, a slower cadence', async () => {
    const close = Date.UTC(2026, 0, 5, 10, 1);
    sim = await startTestSimulator({
      symbols: 5,
      startTime: close - 1_500,
      wsLegacyPaths: true,
      klineFinalDelayMs: 0,
      klineFinalJitterMs: 0,
      klineUpdateMs: 1_000,
      maxStreamsPerConnection: 200,
    });
    const raw = await connect(sim, '/ws/btcusdt@kline_1m');
    const combined = await connect(sim, '/stream?streams=ethusdt@kline_1m');
    const final = await until(() => raw.klines().find((k) => k.event.k.x));
    expect(final.event.k.T).toBe(close - 1);
    expect(final.event.E - close).toBeLessThan(150);
    await until(() => combined.klines().some((k) => k.event.k.x));
    expect(combined.klines()[0]!.stream).toBe('ethusdt@kline_1m');
    // One update a second at most.
    const before = raw.klines().length;
    await sleep(2_000);
    expect(raw.klines().length - before).toBeLessThanOrEqual(3);
    const names = Array.from({ length: 201 }, (_, i) => `s${i}usdt@aggTrade`);
    const refused = await raw.request({ method: 'SUBSCRIBE', params: names, id: 1 });
    expect(refused).toMatchObject({ error: { code: 2 }, id: 1 });
    raw.socket.close();
    combined.socket.close();
  });
});

describe('simulator kline streams: control messages', () => {
  let sim: Simulator;
  afterEach(() => sim?.close());

  it('answers malformed requests with Binance’s nested errors and keeps the connection', async () => {
    sim = await startTestSimulator({ ...CALM, symbols: 5, maxIncomingMessagesPerSecond: 100 });
    const client = await connect(sim, '/market/ws');
    const reply = async (message: unknown) => {
      const count = client.arrivals.length;
      client.send(message);
      await until(() => client.arrivals.length > count);
      return client.arrivals[count]!.message;
    };
    expect(await reply('not json')).toEqual({
      error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' },
      id: null,
    });
    expect(await reply([1, 2])).toEqual({ error: { code: 2, msg: 'Invalid request' }, id: null });
    expect(await reply({ params: [], id: 1 })).toMatchObject({
      error: { code: 2, msg: expect.stringMatching(/^Invalid request: missing field `method`/) as string },
      id: null,
    });
    expect(await reply({ method: 'FLY', id: 2 })).toMatchObject({
      error: {
        code: 2,
        msg: expect.stringMatching(
          /^Invalid request: unknown variant `FLY`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY` at line 1 column \d+$/,
        ) as string,
      },
      id: 2,
    });
    expect(await reply({ method: 'SUBSCRIBE', params: ['btcusdt@kline_1m'], id: -1 })).toEqual({
      error: { code: 2, msg: 'Invalid request: request ID must be an unsigned integer' },
      id: null,
    });
    expect(await reply({ method: 'SUBSCRIBE', params: ['btcusdt@kline_1m'] })).toMatchObject({
      error: { code: 2 },
      id: null,
    });
    expect(await reply({ method: 'SUBSCRIBE', params: [''], id: 3 })).toEqual({
      error: { code: 2, msg: 'Invalid request: invalid stream' },
      id: 3,
    });
    expect(await reply({ method: 'SET_PROPERTY', params: ['combined', 'yes'], id: 4 })).toEqual({
      error: { code: 1, msg: 'Invalid value type: expected Boolean' },
      id: 4,
    });
    expect(await reply({ method: 'GET_PROPERTY', params: ['speed'], id: 5 })).toEqual({
      error: { code: 0, msg: 'Unknown property' },
      id: 5,
    });
    expect(await reply({ method: 'SET_PROPERTY', params: [1, true], id: 6 })).toEqual({
      error: { code: 2, msg: 'Invalid request: property name must be a string' },
      id: 6,
    });
    expect(await reply({ method: 'GET_PROPERTY', params: ['combined', true], id: 7 })).toEqual({
      error: { code: 2, msg: 'Invalid request: too many parameters' },
      id: 7,
    });
    // Unknown stream names are accepted (and stay silent), as on Binance.
    expect(
      await reply({ method: 'SUBSCRIBE', params: ['btcusdt@aggTrade', 'nosuchusdt@kline_1m'], id: 8 }),
    ).toEqual({
      result: null,
      id: 8,
    });
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.socket.close();
  });
});
