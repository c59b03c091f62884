// Prints the Node flags a worker runs with (src/worker/node-args.ts), for the
// launchers that are not TypeScript: `npm run worker` and the image's command,
//   exec node $(node dist/worker-node-args.js) dist/worker.js
import { loadConfig } from './config.js';
import { workerNodeArgs } from './worker/node-args.js';

try {
  const config = loadConfig(process.env, {}, { requireExchangeUrl: false });
  console.log(workerNodeArgs(config.WORKER_HEAP_MB).join(' '));
} catch {
  // Nothing printed: the worker then starts, validates the same configuration and says in one line what is wrong.
}
