// npm postinstall: make sure a Temporal CLI (and so a dev server) is available.
import { provisionTemporalCli } from '../src/temporal/cli.js';

try {
  provisionTemporalCli((line) => console.log(`[provision] ${line}`));
} catch (error) {
  console.error(`[provision] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
