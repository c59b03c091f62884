import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import { startWorker, type RunningWorker } from '../../src/worker/worker-runtime.js';
import type { SimulatorOptionsInput } from '../../src/simulator/options.js';
import type { Simulator } from '../../src/simulator/server.js';
import { startTestSimulator } from './simulator.js';
import { freshTaskQueue, startLocalTemporal } from './temporal-env.js';

/** The whole product on real components: Temporal dev server, Redis, the simulator, a worker. */
export interface Stack {
  env: TestWorkflowEnvironment;
  sim: Simulator;
  config: Config;
  worker: RunningWorker;
  stop(): Promise<void>;
}

export async function startStack(
  options: { sim?: SimulatorOptionsInput; env?: Record<string, string>; uiPort?: number } = {},
): Promise<Stack> {
  const env = await startLocalTemporal({ uiPort: options.uiPort });
  const sim = await startTestSimulator(options.sim);
  const config = loadConfig(process.env, {
    EXCHANGE: 'simulator',
    EXCHANGE_URL: sim.url,
    TEMPORAL_TASK_QUEUE: freshTaskQueue('scan'),
    // Streams only where a test asks for them: they keep the simulator busy.
    STREAMS: 'off',
    ...options.env,
  });
  const worker = await startWorker(config, pino({ level: 'warn' }), env.nativeConnection);
  return {
    env,
    sim,
    config,
    worker,
    async stop() {
      worker.shutdown();
      await worker.done;
      await sim.close();
      await env.teardown();
    },
  };
}
