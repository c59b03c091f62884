import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Simulator } from '../../src/simulator/server.js';
import { admin, startTestSimulator } from '../helpers/simulator.js';
import { connect, refusal, sleep, until } from './ws-client.js';

/** Binance's connection rules ("Websocket Market Streams"), with short option values where time matters. */
describe('simulator stream connections', () => {
  let sim: Simulator;
  afterEach(() => sim?.close());

  it('pings every interval, keeps a silent client past missed pings, drops it once the pong allowance is over', async () => {
    sim = await startTestSimulator({ symbols: 5, wsPingMs: 100, wsPongTimeoutMs: 600 });
    const answering = await connect(sim, '/market/ws');
    let pings = 0;
    answering.socket.on('ping', () => pings++);
    const opened = performance.now();
    const silent = await connect(sim, '/market/ws', { autoPong: false });
    let silentPings = 0;
    silent.socket.on('ping', () => silentPings++);
    // A client that answers only with unsolicited pongs is alive too.
    const unsolicited = await connect(sim, '/market/ws', { autoPong: false });
    const ponger = setInterval(() => unsolicited.socket.pong(), 250);
    await sleep(350);
    expect(silentPings).toBeGreaterThanOrEqual(2); // it missed pings, and is still here
    expect(silent.socket.readyState).toBe(WebSocket.OPEN);
    const { code, at } = await silent.closed;
    expect(code).toBe(1006); // dropped, not closed
    expect(at - opened).toBeGreaterThanOrEqual(550);
    expect(at - opened).toBeLessThan(1_500);
    await sleep(500);
    expect(pings).toBeGreaterThanOrEqual(8);
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
    expect(unsolicited.socket.readyState).toBe(WebSocket.OPEN);
    clearInterval(ponger);
    answering.socket.close();
    unsolicited.socket.close();
  });

  it('closes every connection 24 hours after it opened, by the exchange clock (accelerated)', async () => {
    // 100,000 times real time: 24 hours pass in 0.86 s.
    sim = await startTestSimulator({ symbols: 5, speed: 100_000 });
    const openedAt = sim.clock.now();
    const started = performance.now();
    const client = await connect(sim, '/market/ws');
    const { code, at } = await client.closed;
    expect(code).toBe(1000);
    expect(sim.clock.now() - openedAt).toBeGreaterThanOrEqual(86_400_000);
    expect(at - started).toBeGreaterThan(700);
    expect(at - started).toBeLessThan(3_000);
  });

  it('closes a connection when the exchange clock jumps past its 24 hours', async () => {
    sim = await startTestSimulator({ symbols: 5 });
    const client = await connect(sim, '/market/ws');
    await sleep(200);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    await admin(sim, '/admin/clock', { advanceMs: 86_400_000 });
    const started = performance.now();
    expect((await client.closed).code).toBe(1000);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('takes 1024 streams on a connection and refuses one more (Binance’s limit since 2025-07-02)', async () => {
    sim = await startTestSimulator({ symbols: 5 });
    const client = await connect(sim, '/market/ws');
    const names = Array.from({ length: 1024 }, (_, i) => `s${i}usdt@aggTrade`);
    expect(await client.request({ method: 'SUBSCRIBE', params: names, id: 1 })).toEqual({
      result: null,
      id: 1,
    });
    const refused = await client.request({ method: 'SUBSCRIBE', params: ['btcusdt@kline_1m'], id: 2 });
    expect(refused).toMatchObject({
      error: { code: 2, msg: expect.stringMatching(/1024 streams/) as string },
      id: 2,
    });
    const listed = (await client.request({ method: 'LIST_SUBSCRIPTIONS', id: 3 })).result as string[];
    expect(listed).toHaveLength(1024);
    // Subscribing again to streams it has is no new stream.
    expect(await client.request({ method: 'SUBSCRIBE', params: names.slice(0, 5), id: 4 })).toEqual({
      result: null,
      id: 4,
    });
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.close();
  });

  it('answers 10 messages in a second and closes on the 11th with 1008 "Too many requests"', async () => {
    sim = await startTestSimulator({ symbols: 5 });
    const client = await connect(sim, '/market/ws');
    for (let i = 0; i < 10; i++) client.send({ method: 'LIST_SUBSCRIPTIONS', id: i });
    await until(() => client.messages.length === 10);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.send({ method: 'LIST_SUBSCRIPTIONS', id: 10 });
    const { code, reason } = await client.closed;
    expect({ code, reason }).toEqual({ code: 1008, reason: 'Too many requests' });
    expect(client.messages.some((m) => m.id === 10)).toBe(false);
  });

  it('counts a client’s ping frames as messages too (Binance’s older futures docs)', async () => {
    sim = await startTestSimulator({ symbols: 5 });
    const client = await connect(sim, '/market/ws');
    for (let i = 0; i < 11; i++) client.socket.ping();
    expect((await client.closed).code).toBe(1008);
  });

  it('a slower client is never limited', async () => {
    sim = await startTestSimulator({ symbols: 5 });
    const client = await connect(sim, '/market/ws');
    for (let i = 0; i < 15; i++) {
      client.send({ method: 'LIST_SUBSCRIPTIONS', id: i });
      await sleep(120);
    }
    await until(() => client.messages.length === 15);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.close();
  });

  it('drops connections on demand and on the disconnect fault', async () => {
    sim = await startTestSimulator({ symbols: 5, faults: { wsDisconnectMs: 300 } });
    const a = await connect(sim, '/market/ws');
    expect((await a.closed).code).toBe(1006);
    sim.setFaults({ wsDisconnectMs: 0 });
    const b = await connect(sim, '/market/ws');
    await until(() => sim.streams.connectionCount === 1);
    expect(await admin(sim, '/admin/ws/drop', {})).toEqual({ dropped: 1 });
    expect((await b.closed).code).toBe(1006);
    expect(sim.stats.ws.forcedDisconnects).toBe(2);
  });

  it('during an outage drops open connections and refuses new ones with 503', async () => {
    sim = await startTestSimulator({ symbols: 5 });
    const client = await connect(sim, '/market/ws/btcusdt@kline_1m');
    sim.setFaults({ wsOutage: true });
    expect((await client.closed).code).toBe(1006);
    expect(await refusal(sim, '/market/ws')).toBe(503);
    expect(sim.stats.faults.wsRefused).toBe(1);
    sim.setFaults({ wsOutage: false });
    const back = await connect(sim, '/market/ws/btcusdt@kline_1m');
    await until(() => back.klines().length > 0);
    back.socket.close();
  });

  it('counts what it did in stats.ws', async () => {
    sim = await startTestSimulator({ symbols: 5 });
    const client = await connect(sim, '/market/ws/btcusdt@kline_1m');
    await client.request({ method: 'LIST_SUBSCRIPTIONS', id: 1 });
    await until(() => client.klines().length >= 2);
    const ws = sim.stats.ws;
    expect(ws.opened).toBe(1);
    expect(ws.connections).toBe(1);
    expect(ws.messagesIn).toBe(1);
    expect(ws.klineEvents).toBeGreaterThanOrEqual(2);
    expect(ws.messagesOut).toBe(ws.klineEvents + 1);
    client.socket.close();
    await until(() => sim.stats.ws.connections === 0);
  });
});
