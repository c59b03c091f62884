import { getHeapStatistics } from 'node:v8';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../activities/create-activities.js';
import { type Config, redactUrl } from '../config.js';
import { errorMessage } from '../errors.js';
import type { ScannerMetrics } from '../metrics/scanner-metrics.js';
import { temporalUnreachable } from '../client/temporal-connection.js';
import { temporalConnectionOptions } from '../temporal/connection-options.js';
import { ensureSearchAttributes } from '../temporal/search-attributes.js';
import { createActivityDeps } from './activity-deps.js';
import { workflowSource } from './workflow-source.js';

export interface RunningWorker {
  worker: Worker;
  metrics: ScannerMetrics;
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
  const ownConnection =
    connection ??
    (await NativeConnection.connect(temporalConnectionOptions(config)).catch((error: unknown) => {
      throw temporalUnreachable(config, error);
    }));
  const added = await ensureSearchAttributes(ownConnection.operatorService, config.TEMPORAL_NAMESPACE);
  if (added.length > 0) log.info({ added }, 'registered the search attributes cycles set');
  const { deps, metrics, close } = await createActivityDeps(config);
  const { streams } = deps;
  // A restarted worker keeps its warmth: what Redis holds answers from memory at once.
  log.info({ series: await deps.store.prewarm() }, 'candle store prewarmed from Redis');
  const activities = createActivities(deps);
  const worker = await Worker.create({
    connection: ownConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...workflowSource(),
    activities,
    // Batches are I/O bound: let all of a cycle's fetches run at once.
    maxConcurrentActivityTaskExecutions: 64,
    // A cycle starts all its batch workflows at once, and each one's first
    // task comes through the shared (non-sticky) queue: with the SDK's
    // default of 2 such pollers, the 9 batches of a cycle started one after
    // another (~250 ms, measured from history timestamps). Poll for them all.
    maxConcurrentWorkflowTaskPolls: 20,
    nonStickyToStickyPollRatio: 1,
  });
  // The listing, loaded now and kept fresh in the background: cycles never wait on it.
  // Listing the universe also subscribes it when streams run (and each cycle's listing adds new listings).
  if (config.EXCHANGE_MARKETS_REFRESH_MS > 0)
    deps.market.keepMarketsFresh(config.EXCHANGE_MARKETS_REFRESH_MS);
  try {
    // The exchange clock too: the first cycle's series would all wait on its measurement.
    await deps.market.serverNow();
    await activities.listSymbols({});
    if (streams) {
      // Take tasks once the streams are up: subscribing 1,590 streams costs CPU a first cycle would share.
      const live = await streams.whenLive(10_000);
      log.info({ streams: streams.size, live }, 'live kline streams started');
    }
  } catch (error) {
    // A temporary fault must not stop a worker: the first cycle lists (and subscribes) again.
    log.warn({ err: errorMessage(error) }, 'could not list the universe at start; the first cycle will');
  }
  log.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      exchange: config.EXCHANGE,
      url: config.EXCHANGE_URL && redactUrl(config.EXCHANGE_URL),
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
  return { worker, metrics, done, shutdown: () => worker.shutdown() };
}
