// `npm run worker`: the Temporal worker alone, configured from the environment.
import { loadConfig } from './config.js';
import { errorMessage } from './core/errors.js';
import { createLogger } from './observability/logger.js';
import { startMetricsServer } from './observability/metrics-server.js';
import { installTemporalRuntime } from './worker/temporal-runtime.js';
import { startWorker } from './worker/worker-runtime.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'worker', config.LOG_FORMAT);
  const sdkMetricsUrl = await installTemporalRuntime(log, { metrics: config.METRICS_PORT > 0 });
  const running = await startWorker(config, log);
  if (config.METRICS_PORT > 0) {
    // Metrics are for operators: a port taken by another worker on this host must not stop this one.
    await startMetricsServer({
      metrics: running.metrics,
      host: config.METRICS_HOST,
      port: config.METRICS_PORT,
      sdkUrl: sdkMetricsUrl,
    }).then(
      ({ url }) => log.info({ url }, 'metrics served'),
      (error: unknown) =>
        log.warn({ err: errorMessage(error), port: config.METRICS_PORT }, 'metrics not served'),
    );
  }
  await running.done;
  // Everything is drained and closed: exit without waiting on whatever
  // timer a library may still hold.
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(`worker: ${errorMessage(error).split('\n')[0]}`);
  process.exit(1);
});
