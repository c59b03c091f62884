/**
 * @module
 * Starting the cycle of a candle close from inside the worker: with the id
 * the Schedule would give it (so Temporal starts one run per close, whoever
 * asks first, and never a second one after it finished), and eagerly: the
 * client shares the worker's connection, so the cycle's first workflow task
 * comes back in the start's response instead of through the task queue.
 */
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config.js';
import { CYCLE_WORKFLOW_TYPE, scheduledCycleId } from '../contract/ids.js';
import { configuredScan, cycleStartOptions } from '../temporal/cycle-start.js';

/** The cycle's id, and whether it was started now with its first task handed back (false: found running). */
export type StartCloseCycle = (
  closeTime: number,
) => Promise<{ workflowId: string; eager: boolean } | 'already done'>;

export function closeCycleStarter(connection: NativeConnection, config: Config): StartCloseCycle {
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  return async (closeTime) => {
    const workflowId = scheduledCycleId(closeTime + config.SCAN_OFFSET_SECONDS * 1000);
    const input = { ...configuredScan(config, 'close'), closeTime };
    try {
      const handle = await client.workflow.start(CYCLE_WORKFLOW_TYPE, {
        ...cycleStartOptions(config.TEMPORAL_TASK_QUEUE, workflowId, input),
        // Running already (another worker, or the Schedule): that run serves this close.
        workflowIdConflictPolicy: 'USE_EXISTING',
        // Finished already: not again.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        requestEagerStart: true,
      });
      return { workflowId, eager: handle.eagerlyStarted };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return 'already done';
      throw error;
    }
  };
}
