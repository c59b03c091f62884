import { getHeapStatistics } from 'node:v8';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../activities/create-activities.js';
import type { Config } from '../config.js';
import { createActivityDeps } from './activity-deps.js';
import { workflowSource } from './workflow-source.js';

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped and every dependency is closed. */
  done: Promise<void>;
  shutdown(): void;
}

/**
 * Builds the activities' dependencies from configuration and starts a worker
 * on the task queue. Shutdown (SIGINT/SIGTERM, handled by the SDK, or
 * shutdown()) drains the worker, then closes the exchange and Redis.
 */
export async function startWorker(
  config: Config,
  log: Logger,
  connection?: NativeConnection,
): Promise<RunningWorker> {
  const { deps, streams, close } = await createActivityDeps(config);
  // A restarted worker keeps its warmth: what Redis holds answers from memory at once.
  log.info({ series: await deps.store.prewarm() }, 'candle store prewarmed from Redis');
  const ownConnection = connection ?? (await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS }));
  const activities = createActivities(deps);
  const worker = await Worker.create({
    connection: ownConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...workflowSource(),
    activities,
    // Batches are I/O bound: let all of a cycle's fetches run at once.
    maxConcurrentActivityTaskExecutions: 64,
  });
  if (streams) {
    // Listing the universe subscribes it (listSymbols makes the streams follow it, at every cycle too).
    await activities.listSymbols({});
    log.info({ streams: streams.size }, 'live kline streams started');
  }
  log.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      exchange: config.EXCHANGE,
      url: config.EXCHANGE_URL,
      heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
    },
    'worker started',
  );
  const done = worker.run().finally(async () => {
    await streams?.stop();
    await close();
    if (!connection) await ownConnection.close();
    log.info('worker stopped');
  });
  return { worker, done, shutdown: () => worker.shutdown() };
}
