/**
 * @module
 * A raw WebSocket client for the simulator's stream tests: records every
 * message with its arrival time, and waits for conditions.
 */
import WebSocket from 'ws';
import type { Simulator } from '../../src/simulator/server.js';
import type { KlineEvent } from '../helpers/binance-spec.js';

export interface Arrival {
  /** performance.now() when it arrived. */
  at: number;
  message: Record<string, unknown>;
}

export interface Client {
  socket: WebSocket;
  arrivals: Arrival[];
  /** Every message parsed, in order. */
  readonly messages: Array<Record<string, unknown>>;
  /** Kline events, unwrapped from {"stream","data"} where combined, with the stream they came on. */
  klines(): Array<{ at: number; stream?: string; event: KlineEvent }>;
  send(message: unknown): void;
  /** Sends a control message and waits for the reply with its id. */
  request(message: { id: number } & Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Close code and reason, once closed. */
  closed: Promise<{ code: number; reason: string; at: number }>;
}

export async function connect(
  sim: Simulator,
  path: string,
  options: WebSocket.ClientOptions = {},
): Promise<Client> {
  const socket = new WebSocket(`${sim.wsUrl}${path}`, options);
  const arrivals: Arrival[] = [];
  socket.on('message', (data: Buffer) =>
    arrivals.push({
      at: performance.now(),
      message: JSON.parse(data.toString('utf8')) as Record<string, unknown>,
    }),
  );
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
    socket.once('close', (code: number, reason: Buffer) =>
      resolve({ code, reason: reason.toString('utf8'), at: performance.now() }),
    ),
  );
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const client: Client = {
    socket,
    arrivals,
    get messages() {
      return arrivals.map((a) => a.message);
    },
    klines: () =>
      arrivals.flatMap(({ at, message }) => {
        if (message.e === 'kline') return [{ at, event: message as unknown as KlineEvent }];
        const data = message.data as KlineEvent | undefined;
        return data?.e === 'kline' ? [{ at, stream: message.stream as string, event: data }] : [];
      }),
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    request: async (message) => {
      client.send(message);
      return until(() => arrivals.find((a) => a.message.id === message.id)?.message);
    },
    closed,
  };
  return client;
}

/** The HTTP status an upgrade to `path` is refused with (undefined if it is accepted). */
export async function refusal(sim: Simulator, path: string): Promise<number | undefined> {
  const socket = new WebSocket(`${sim.wsUrl}${path}`);
  return new Promise((resolve) => {
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode);
      socket.terminate();
    });
    socket.once('open', () => {
      resolve(undefined);
      socket.terminate();
    });
    socket.once('error', () => undefined);
  });
}

export async function until<T>(what: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = what();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
