/**
 * @module
 * Test and operator controls over HTTP, on loopback only: the clock, fault
 * injection, delisting, dropping streams, and counters. Everything about an
 * admin request is here: who may ask, reading its body, routing, answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { faultOptionsSchema } from './options.js';
import type { Simulator } from './simulator.js';

const JSON_TYPE = 'application/json;charset=UTF-8';
const MAX_BODY_BYTES = 64 * 1024;

const clockRequest = z
  .object({
    advanceMs: z.number().min(0).optional(),
    set: z.number().int().positive().optional(),
    speed: z.number().positive().optional(),
  })
  .strict();
const delistRequest = z.object({ symbol: z.string().min(1) }).strict();

class AdminRequestError extends Error {
  override name = 'AdminRequestError';
}

function isLoopback(address: string | undefined): boolean {
  return (
    address === '127.0.0.1' ||
    address === '::1' ||
    address === '::ffff:127.0.0.1' ||
    (address?.startsWith('127.') ?? false)
  );
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new AdminRequestError(z.prettifyError(result.error).replaceAll('\n', '; '));
  return result.data;
}

/** Runs one control; a thrown RangeError (the clock, an unknown symbol) is the request's fault. */
function control<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new AdminRequestError((error as Error).message);
  }
}

function route(sim: Simulator, method: string, path: string, body: unknown): unknown {
  switch (`${method} ${path}`) {
    case 'GET /admin/status':
      return sim.status();
    case 'POST /admin/clock': {
      const request = parse(clockRequest, body);
      control(() => {
        if (request.speed !== undefined) sim.clock.setSpeed(request.speed);
        if (request.set !== undefined) sim.clock.set(request.set);
        if (request.advanceMs !== undefined) sim.clock.advance(request.advanceMs);
      });
      return { now: sim.clock.now(), speed: sim.clock.rate };
    }
    case 'POST /admin/faults':
      sim.setFaults(parse(faultOptionsSchema.partial(), body));
      return sim.faults;
    case 'POST /admin/delist': {
      const { symbol } = parse(delistRequest, body);
      control(() => sim.state.delist(symbol));
      return { delisted: symbol };
    }
    case 'POST /admin/ws/drop':
      return { dropped: sim.streams.dropAll() };
    case 'POST /admin/reset-limits':
      sim.limiter.reset();
      return { reset: true };
    default:
      return undefined;
  }
}

/** Answers an HTTP request under /admin/. */
export function handleAdminRequest(
  sim: Simulator,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): void {
  const answer = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': JSON_TYPE });
    res.end(JSON.stringify(body));
  };
  if (!isLoopback(req.socket.remoteAddress))
    return answer(403, { error: 'admin endpoints answer loopback only' });
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) req.destroy();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    try {
      const text = Buffer.concat(chunks).toString('utf8');
      const body: unknown = text ? JSON.parse(text) : {};
      const result = route(sim, req.method ?? 'GET', path, body);
      if (result === undefined) return answer(404, { error: `no admin endpoint ${req.method} ${path}` });
      answer(200, result);
    } catch (error) {
      const message =
        error instanceof AdminRequestError || error instanceof SyntaxError ? error.message : String(error);
      answer(400, { error: message });
    }
  });
}
