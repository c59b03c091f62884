import { TestWorkflowEnvironment } from '@temporalio/testing';
import { requireTemporalCli } from '../../src/temporal/cli.js';

/** A real Temporal dev server (the provisioned CLI), in memory, on a free port. */
export function startLocalTemporal(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: requireTemporalCli() },
      log: { format: 'pretty', level: 'warn' },
    },
  });
}

/** A task queue no other test uses, so workers of different tests never mix. */
export function freshTaskQueue(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
