// `npm run worker`: the Temporal worker alone, configured from the environment.
import { loadConfig } from './config.js';
import { errorMessage } from './errors.js';
import { createLogger } from './logger.js';
import { installTemporalLogging } from './runtime/temporal-logging.js';
import { startWorker } from './runtime/worker-runtime.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'worker');
  installTemporalLogging(log);
  const running = await startWorker(config, log);
  await running.done;
  // Everything is drained and closed: exit without waiting on whatever
  // timer a library may still hold.
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(`worker: ${errorMessage(error).split('\n')[0]}`);
  process.exit(1);
});
