// `npm run worker`: the Temporal worker alone, configured from the environment.
import { loadConfig } from './config.js';
import { errorMessage } from './errors.js';
import { createLogger } from './logger.js';
import { startWorker } from './runtime/worker-runtime.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'worker');
  const running = await startWorker(config, log);
  await running.done;
}

main().catch((error: unknown) => {
  console.error(`worker: ${errorMessage(error).split('\n')[0]}`);
  process.exit(1);
});
