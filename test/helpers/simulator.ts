import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import type { SimulatorOptionsInput } from '../../src/simulator/options.js';

/** Tests run the simulator in-process, without latency unless they ask for it. */
export function startTestSimulator(options: SimulatorOptionsInput = {}): Promise<Simulator> {
  return startSimulator({ latencyMs: 0, ...options });
}

export async function admin(sim: Simulator, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sim.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}
