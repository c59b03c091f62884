import { z } from 'zod';
import type { Simulator } from './server.js';
import { faultOptionsSchema } from './options.js';

/**
 * Test and operator controls, on loopback only: the clock, fault injection,
 * delisting, dropping streams, and counters.
 */
const clockRequest = z
  .object({
    advanceMs: z.number().min(0).optional(),
    set: z.number().int().positive().optional(),
    speed: z.number().positive().optional(),
  })
  .strict();
const delistRequest = z.object({ symbol: z.string().min(1) }).strict();

export class AdminRequestError extends Error {
  override name = 'AdminRequestError';
}

export function isLoopback(address: string | undefined): boolean {
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

export function handleAdmin(sim: Simulator, method: string, path: string, body: unknown): unknown {
  const route = `${method} ${path}`;
  switch (route) {
    case 'GET /admin/status':
      return sim.status();
    case 'POST /admin/clock': {
      const request = parse(clockRequest, body);
      try {
        if (request.speed !== undefined) sim.clock.setSpeed(request.speed);
        if (request.set !== undefined) sim.clock.set(request.set);
        if (request.advanceMs !== undefined) sim.clock.advance(request.advanceMs);
      } catch (error) {
        throw new AdminRequestError((error as Error).message);
      }
      return { now: sim.clock.now(), speed: sim.clock.rate };
    }
    case 'POST /admin/faults':
      sim.setFaults(parse(faultOptionsSchema.partial(), body));
      return sim.status().faults;
    case 'POST /admin/delist': {
      const { symbol } = parse(delistRequest, body);
      try {
        sim.state.delist(symbol);
      } catch (error) {
        throw new AdminRequestError((error as Error).message);
      }
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
