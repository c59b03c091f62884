import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Simulator } from '../../src/simulator/server.js';
import { admin, startTestSimulator } from '../helpers/simulator.js';

interface KlineEvent {
  e: string;
  s: string;
  k: { t: number; T: number; i: string; o: string; c: string; h: string; l: string; x: boolean };
}

/** A raw WebSocket client that records every message. */
async function connect(sim: Simulator, path = '/ws') {
  const socket = new WebSocket(`${sim.wsUrl}${path}`);
  const messages: unknown[] = [];
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8'))));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const closed = new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code)));
  return { socket, messages, closed };
}

async function until<T>(what: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = what();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('simulator kline streams', () => {
  let sim: Simulator;
  afterEach(() => sim?.close());

  it('answers SUBSCRIBE, LIST_SUBSCRIPTIONS and UNSUBSCRIBE like Binance', async () => {
    sim = await startTestSimulator({ symbols: 10, klineUpdateMs: 50 });
    const { socket, messages } = await connect(sim);
    socket.send(
      JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@kline_1m', 'ethusdt@kline_5m'], id: 1 }),
    );
    await until(() => messages.find((m) => (m as { id?: number }).id === 1));
    expect(messages).toContainEqual({ result: null, id: 1 });
    socket.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 2 }));
    const list = await until(() => messages.find((m) => (m as { id?: number }).id === 2));
    expect(list).toEqual({ result: ['btcusdt@kline_1m', 'ethusdt@kline_5m'], id: 2 });
    const kline = (await until(() => messages.find((m) => (m as KlineEvent).s === 'ETHUSDT'))) as KlineEvent;
    expect(kline.e).toBe('kline');
    expect(kline.k.i).toBe('5m');
    socket.send(
      JSON.stringify({ method: 'UNSUBSCRIBE', params: ['btcusdt@kline_1m', 'ethusdt@kline_5m'], id: 3 }),
    );
    await until(() => messages.find((m) => (m as { id?: number }).id === 3));
    const count = messages.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(messages.length).toBe(count);
    socket.close();
  });

  it('sends a final event (x: true) for each candle that closes, with the candle REST serves', async () => {
    const start = Date.UTC(2026, 0, 5, 10, 0, 50); // 10 s before a minute closes
    sim = await startTestSimulator({ symbols: 10, klineUpdateMs: 100, startTime: start });
    const { socket, messages } = await connect(sim, '/ws/solusdt@kline_1m');
    await until(() => messages.length > 0);
    await admin(sim, '/admin/clock', { advanceMs: 10_000 });
    const final = (await until(() => messages.find((m) => (m as KlineEvent).k.x))) as KlineEvent;
    expect(final.k.t).toBe(Date.UTC(2026, 0, 5, 10, 0));
    expect(final.k.T).toBe(Date.UTC(2026, 0, 5, 10, 1) - 1);
    const rest = (await (
      await fetch(`${sim.url}/fapi/v1/klines?symbol=SOLUSDT&interval=1m&startTime=${final.k.t}&limit=1`)
    ).json()) as string[][];
    expect([final.k.o, final.k.h, final.k.l, final.k.c]).toEqual(rest[0]!.slice(1, 5));
    // The next candle is forming now.
    const next = await until(() =>
      messages.find((m) => (m as KlineEvent).k.t === Date.UTC(2026, 0, 5, 10, 1)),
    );
    expect((next as KlineEvent).k.x).toBe(false);
    socket.close();
  });

  it('crosses many candle closes in seconds on an accelerated clock', async () => {
    sim = await startTestSimulator({
      symbols: 5,
      klineUpdateMs: 50,
      speed: 600,
      startTime: Date.UTC(2026, 0, 5),
    });
    const { socket, messages } = await connect(sim, '/stream?streams=btcusdt@kline_1m/ethusdt@kline_5m');
    await until(
      () =>
        messages.filter(
          (m) => (m as { data: KlineEvent }).data.k.x && (m as { data: KlineEvent }).data.s === 'ETHUSDT',
        ).length >= 2,
      10_000,
    );
    const finals = messages
      .map((m) => m as { stream: string; data: KlineEvent })
      .filter((m) => m.data.k.x && m.stream === 'btcusdt@kline_1m');
    const times = finals.map((f) => f.data.k.t);
    expect(times.length).toBeGreaterThanOrEqual(10);
    times.forEach((t, i) => i > 0 && expect(t - times[i - 1]!).toBe(60_000));
    socket.close();
  });

  it('limits streams per connection and incoming messages per second', async () => {
    sim = await startTestSimulator({
      symbols: 5,
      maxStreamsPerConnection: 3,
      maxIncomingMessagesPerSecond: 5,
    });
    const { socket, messages, closed } = await connect(sim);
    const names = ['btcusdt@kline_1m', 'btcusdt@kline_5m', 'btcusdt@kline_15m', 'btcusdt@kline_1h'];
    socket.send(JSON.stringify({ method: 'SUBSCRIBE', params: names, id: 7 }));
    const refused = (await until(() => messages.find((m) => (m as { id?: number }).id === 7))) as {
      error?: { msg: string };
    };
    expect(refused.error?.msg).toMatch(/at most 3 streams/);
    for (let i = 0; i < 10; i++) socket.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 100 + i }));
    expect(await closed).toBe(1008);
  });

  it('drops connections on demand and on the disconnect fault', async () => {
    sim = await startTestSimulator({ symbols: 5, faults: { wsDisconnectMs: 300 } });
    const a = await connect(sim);
    expect(await a.closed).toBe(1006);
    sim.setFaults({ wsDisconnectMs: 0 });
    const b = await connect(sim);
    await until(() => sim.streams.connectionCount === 1);
    expect(await admin(sim, '/admin/ws/drop', {})).toEqual({ dropped: 1 });
    expect(await b.closed).toBe(1006);
    expect(sim.stats.ws.forcedDisconnects).toBe(2);
  });

  it('pings every connection and drops one that stops answering', async () => {
    sim = await startTestSimulator({ symbols: 5, wsPingMs: 100 });
    const answering = await connect(sim);
    let pings = 0;
    answering.socket.on('ping', () => pings++);
    const silent = new WebSocket(`${sim.wsUrl}/ws`, { autoPong: false });
    const silentClosed = new Promise<number>((resolve) =>
      silent.once('close', (code: number) => resolve(code)),
    );
    expect(await silentClosed).toBe(1006);
    await until(() => pings >= 3);
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
    answering.socket.close();
  });

  it('answers malformed messages with an error and keeps the connection', async () => {
    sim = await startTestSimulator({ symbols: 5 });
    const { socket, messages } = await connect(sim);
    socket.send('not json');
    socket.send(JSON.stringify([1, 2]));
    socket.send(JSON.stringify({ method: 'SUBSCRIBE', params: 'btcusdt@kline_1m', id: 1 }));
    socket.send(JSON.stringify({ method: 'FLY', id: 2 }));
    await until(() => messages.length >= 4);
    for (const m of messages) expect(m).toHaveProperty('error');
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });
});
