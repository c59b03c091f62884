import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sequence } from '../../src/simulator/rng.js';
import type { Simulator } from '../../src/simulator/server.js';
import { startTestSimulator } from '../helpers/simulator.js';

/** Random paths, query strings and WebSocket messages never crash the simulator or get a 500. */
describe('simulator under random input', () => {
  let sim: Simulator;
  const random = sequence(20261123);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const junk = () => {
    const alphabet = Array.from('abcXYZ019_-.%&=?/#@!*() \u00e9\u4e2d\ud83d\ude00');
    let text = '';
    const n = Math.floor(random() * 24);
    for (let i = 0; i < n; i++) text += pick(alphabet);
    return text;
  };
  const value = () =>
    pick([
      junk(),
      String(Math.floor(random() * 2 ** 53)),
      '-1',
      '0',
      '1e9',
      'BTCUSDT',
      '1h',
      '1M',
      '',
      '99999999999999999999999',
    ]);

  beforeAll(async () => {
    sim = await startTestSimulator({ symbols: 8, weightLimit: 1_000_000 });
  });
  afterAll(() => sim.close());

  it('answers 1,500 random REST requests with Binance errors or data, never a 500', async () => {
    const paths = [
      '/fapi/v1/klines',
      '/fapi/v1/ticker/24hr',
      '/fapi/v1/time',
      '/fapi/v1/exchangeInfo',
      '/fapi/v1/ping',
      '/admin/clock',
      '/',
    ];
    const names = ['symbol', 'interval', 'limit', 'startTime', 'endTime', junk()];
    for (let i = 0; i < 1500; i++) {
      const params = Array.from(
        { length: Math.floor(random() * 5) },
        () => `${encodeURIComponent(pick(names))}=${encodeURIComponent(value())}`,
      );
      const path = random() < 0.85 ? pick(paths) : `/${encodeURIComponent(junk())}`;
      const method = pick(['GET', 'GET', 'GET', 'POST', 'DELETE']);
      const response = await fetch(`${sim.url}${path}?${params.join('&')}`, {
        method,
        body: method === 'POST' ? junk() : undefined,
      });
      expect(response.status, `${method} ${path}?${params.join('&')}`).not.toBe(500);
      await response.arrayBuffer();
    }
    expect(sim.stats.byStatus['500']).toBeUndefined();
  });

  it('survives random WebSocket messages and keeps serving', async () => {
    for (let round = 0; round < 20; round++) {
      const socket = new WebSocket(`${sim.wsUrl}/market/ws/${encodeURIComponent(junk())}`);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      for (let i = 0; i < 8; i++) {
        const message = pick([
          junk(),
          JSON.stringify({
            method: pick(['SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS', junk()]),
            params: pick([[junk()], junk(), [1, 2], null]),
            id: pick([1, -1, 'x', null, 1.5]),
          }),
          JSON.stringify(pick([null, 1, [], {}, 'x'])),
        ]);
        socket.send(random() < 0.1 ? Buffer.from(message) : message);
      }
      await new Promise((r) => setTimeout(r, 20));
      socket.terminate();
    }
    const response = await fetch(`${sim.url}/fapi/v1/klines?symbol=BTCUSDT&interval=1h&limit=5`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as unknown[]).length).toBe(5);
  });
});
