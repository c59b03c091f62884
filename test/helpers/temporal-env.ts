import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SCAN_SEARCH_ATTRIBUTES } from '../../src/contract/search-attributes.js';
import { requireTemporalCli } from '../../src/temporal/cli.js';
import { DEV_SERVER_EAGER_FLAGS } from '../../src/temporal/dev-server-flags.js';

/** A real Temporal dev server (the provisioned CLI), in memory, on a free port, with the cycle's search attributes. */
export function startLocalTemporal(options: { uiPort?: number } = {}): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      // The Web UI only where a test looks at it.
      uiPort: options.uiPort,
      executable: { type: 'existing-path', path: requireTemporalCli() },
      log: { format: 'pretty', level: 'warn' },
      // In memory: the SQLite pragmas do not apply; eager dispatch does.
      extraArgs: DEV_SERVER_EAGER_FLAGS,
      searchAttributes: SCAN_SEARCH_ATTRIBUTES,
    },
  });
}

/** A task queue no other test uses, so workers of different tests never mix. */
export function freshTaskQueue(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
