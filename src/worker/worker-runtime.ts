/**
 * @module
 * A worker on the task queue: its dependencies built from configuration,
 * warm before it takes tasks, drained and closed on shutdown.
 */
import { getHeapStatistics } from 'node:v8';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createAlertActivities } from '../activities/alert-activities.js';
import { createActivities } from '../activities/create-activities.js';
import { type Config, redactUrl } from '../config.js';
import { errorMessage } from '../core/errors.js';
import type { ScannerMetrics } from '../observability/scanner-metrics.js';
import { temporalUnreachable } from '../temporal/client-connection.js';
import { temporalConnectionOptions } from '../temporal/connection-options.js';
import { ensureSearchAttributes } from '../temporal/search-attribute-registration.js';
import type { StreamFeed } from '../market-data/stream-feed.js';
import { selectUniverse } from '../market-data/universe.js';
import { alertDelivery } from './alert-handoff.js';
import { CloseTrigger } from './close-trigger.js';
import { closeCycleStarter } from './close-cycles.js';
import { workflowSource } from './workflow-source.js';
import { createWorkerDeps } from './worker-deps.js';
import { warmUp } from './warm-up.js';
import { warmUpWorkflowPath } from './workflow-warm-up.js';

/** Workflows kept in memory between their tasks (sticky execution); well above the slots' 40. */
const MAX_CACHED_WORKFLOWS = 100;

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
  const delivery =
    config.alerts.destinations.length > 0 ? alertDelivery(ownConnection, config, log) : undefined;
  const { deps, alertDeps, stack, metrics, close } = await createWorkerDeps(config, log, delivery);
  const { streams, market } = stack;
  // A restarted worker keeps its warmth: what Redis holds answers from memory at once.
  log.info({ series: await stack.store.prewarm() }, 'candle store prewarmed from Redis');
  const activities = { ...createActivities(deps), ...createAlertActivities(alertDeps) };
  const worker = await Worker.create({
    connection: ownConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...workflowSource(),
    activities,
    // Batches are I/O bound: let all of a cycle's fetches run at once.
    maxConcurrentActivityTaskExecutions: 64,
    // A cycle starts all its batch workflows at once, and each one's first task
    // comes through the shared (non-sticky) queue; the later tasks of each come
    // through this worker's sticky queue. Enough pollers for both (the SDK's
    // maxConcurrentWorkflowTaskPolls is not read by this release: the poller
    // behaviour is), half of them on the sticky queue.
    workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 20 },
    nonStickyToStickyPollRatio: 0.5,
    // Stated, not derived: the SDK derives it from the heap limit (10 under
    // WORKER_HEAP_MB's 192) and caps the workflow task slots at it; the
    // pollers then hold every slot, and an eager start never finds one free.
    // Only running workflows stay cached (a finished one is evicted), a few per cycle.
    maxCachedWorkflows: MAX_CACHED_WORKFLOWS,
  });
  // The listing, loaded now and kept fresh in the background: cycles never wait on it.
  // Each listing loaded subscribes the streams of what is new (worker-deps.ts).
  if (config.EXCHANGE_MARKETS_REFRESH_MS > 0) market.keepMarketsFresh(config.EXCHANGE_MARKETS_REFRESH_MS);
  // The symbols whose series the store holds whole and fresh: the workflow warm-up scans a batch of them.
  let held: string[] = [];
  try {
    // The exchange clock too: the first cycle's series would all wait on its measurement.
    const now = await market.serverNow();
    const perpetuals = await market.perpetuals();
    const symbols = selectUniverse(perpetuals, {}, { ...deps.universe, minQuoteVolume: 0 }).symbols;
    const warmed = await warmUp(deps, symbols, config.SCAN_TIMEFRAMES, {
      now,
      candleLimit: config.SCAN_CANDLE_LIMIT,
    });
    held = warmed.fresh;
    log.info(
      { symbols: warmed.analysed.length, fresh: held.length, ms: warmed.ms },
      'analysis and ledger warmed up',
    );
    if (streams) {
      // Take tasks once the streams are up: subscribing 1,590 streams costs CPU a first cycle would share.
      const live = await streams.whenLive(10_000);
      log.info({ streams: streams.size, live }, 'live kline streams started');
    }
  } catch (error) {
    // A temporary fault must not stop a worker: the first cycle lists (and so subscribes) again.
    log.warn({ err: errorMessage(error) }, 'could not list the universe at start; the first cycle will');
  }
  let trigger: CloseTrigger | undefined;
  const done = worker.run().finally(async () => {
    trigger?.stop();
    await close();
    if (!connection) await ownConnection.close();
    log.info('worker stopped');
  });
  // The workflow path last: a new process's first cycle would pay the first run of the SDK's and the workflows' code.
  await warmUpWorkflowPath(ownConnection, config, held.slice(0, config.SCAN_BATCH_SIZE), done).then(
    (warmed) => log.info(warmed, 'workflow path warmed up'),
    (error: unknown) => log.warn({ err: errorMessage(error) }, 'could not warm the workflow path up'),
  );
  log.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      exchange: config.EXCHANGE,
      url: config.EXCHANGE_URL && redactUrl(config.EXCHANGE_URL),
      heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
    },
    'worker started',
  );
  if (delivery)
    await delivery.startAll().then(
      () =>
        log.info({ destinations: config.alerts.destinations.map((d) => d.name) }, 'alert delivery running'),
      (error: unknown) =>
        log.warn({ err: errorMessage(error) }, 'could not start alert delivery; the next saved cycle will'),
    );
  if (streams && config.CLOSE_TRIGGER === 'on') trigger = closeTrigger(config, log, ownConnection, streams);
  return { worker, metrics, done, shutdown: () => worker.shutdown() };
}

/** Cycles on the close of the trigger timeframe (the smallest scanned), as the streams bring its final klines. */
function closeTrigger(
  config: Config,
  log: Logger,
  connection: NativeConnection,
  streams: StreamFeed,
): CloseTrigger {
  const timeframe = config.SCAN_TIMEFRAMES.at(-1)!;
  const start = closeCycleStarter(connection, config);
  const trigger = new CloseTrigger({
    timeframe,
    share: config.CLOSE_TRIGGER_SHARE,
    waitMs: config.CLOSE_TRIGGER_WAIT_MS,
    expected: () => streams.followed(timeframe),
    start: async (closeTime, why) => {
      const started = await start(closeTime);
      const close = new Date(closeTime).toISOString();
      if (started === 'already done') log.debug({ close }, 'close already scanned');
      else log.info({ close, why, ...started }, 'cycle started on the close');
    },
    onError: (closeTime, error) =>
      log.warn(
        { close: new Date(closeTime).toISOString(), err: errorMessage(error) },
        'could not start the cycle of a close; the Schedule will',
      ),
  });
  streams.onFinal((final) => trigger.onFinal(final));
  return trigger;
}
