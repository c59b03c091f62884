import { TestWorkflowEnvironment, type LocalTestWorkflowEnvironmentOptions } from '@temporalio/testing';
import { SCAN_SEARCH_ATTRIBUTES } from '../../src/contract/search-attributes.js';
import { requireTemporalCli } from '../../src/temporal/cli.js';
import { DEV_SERVER_EAGER_FLAGS } from '../../src/temporal/dev-server-flags.js';

/** How often a dev server that did not answer in time is started again. */
const STARTUP_ATTEMPTS = 3;

/**
 * A real Temporal dev server (the provisioned CLI), in memory, on a free port, with the cycle's search attributes
 * (unless `bare`: a server that has none of them, like a fresh cluster).
 */
export function startLocalTemporal(
  options: { uiPort?: number; bare?: boolean } = {},
): Promise<TestWorkflowEnvironment> {
  return createLocalWithRetry({
    server: {
      // The Web UI only where a test looks at it.
      uiPort: options.uiPort,
      executable: { type: 'existing-path', path: requireTemporalCli() },
      log: { format: 'pretty', level: 'warn' },
      ...(options.bare
        ? {}
        : {
            // In memory: the SQLite pragmas do not apply; eager dispatch does.
            extraArgs: DEV_SERVER_EAGER_FLAGS,
            searchAttributes: SCAN_SEARCH_ATTRIBUTES,
          }),
    },
  });
}

/**
 * The SDK gives a starting dev server a fixed 5 s to answer (sdk-core's ephemeral_server, not configurable) and
 * kills it otherwise; with test files running side by side on two cores a server with its Web UI can take longer.
 * That is a fault of the moment, so it is started again; any other error fails at once.
 */
async function createLocalWithRetry(
  options: LocalTestWorkflowEnvironmentOptions,
): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createLocal(options);
    } catch (error) {
      const slowStart = error instanceof Error && error.message.includes('did not start within');
      if (!slowStart || attempt >= STARTUP_ATTEMPTS) throw error;
    }
  }
}

/** A task queue no other test uses, so workers of different tests never mix. */
export function freshTaskQueue(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
