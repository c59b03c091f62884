/**
 * @module
 * Runs the warm-up workflow (src/workflows/worker-warm-up.ts) on this
 * worker once it polls, before it says it is ready. Started eagerly through
 * the worker's own connection, so its first task comes back to this worker
 * in the start's answer (another worker on the queue may still take its
 * child: it warms that one instead, no harm done).
 */
import { hostname } from 'node:os';
import { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config.js';
import { WARM_UP_WORKFLOW_TYPE, workerWarmUpId } from '../contract/ids.js';
import type { workerWarmUpWorkflow } from '../workflows/worker-warm-up.js';

/** Past this the worker says it is ready all the same: a warm-up is worth seconds, not a start-up. */
const WARM_UP_TIMEOUT_MS = 10_000;

/**
 * Scans `symbols` (what the store holds fresh; none when it is empty) in one
 * batch. Rejects when the warm-up fails, takes too long, or `running` (the
 * worker's run) ends first.
 */
export async function warmUpWorkflowPath(
  connection: NativeConnection,
  config: Pick<
    Config,
    'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'SCAN_TIMEFRAMES' | 'SCAN_CANDLE_LIMIT'
  >,
  symbols: string[],
  running: Promise<unknown>,
): Promise<{ workflowId: string; eager: boolean; scanned: number; ms: number }> {
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const started = Date.now();
  const handle = await client.workflow.start<typeof workerWarmUpWorkflow>(WARM_UP_WORKFLOW_TYPE, {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowId: workerWarmUpId(hostname(), process.pid, started),
    args: [{ symbols, timeframes: config.SCAN_TIMEFRAMES, candleLimit: config.SCAN_CANDLE_LIMIT }],
    staticSummary: `Worker warm-up: one batch of ${symbols.length} symbols from the store, nothing saved`,
    requestEagerStart: true,
    // A worker that dies in its warm-up leaves nothing running for long.
    workflowExecutionTimeout: '1 minute',
  });
  let timer: NodeJS.Timeout | undefined;
  let scanned: number;
  try {
    ({ scanned } = await Promise.race([
      handle.result(),
      running.then(() => Promise.reject(new Error('the worker stopped'))),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`not done in ${WARM_UP_TIMEOUT_MS} ms`)),
          WARM_UP_TIMEOUT_MS,
        );
      }),
    ]));
  } finally {
    clearTimeout(timer);
  }
  return { workflowId: handle.workflowId, eager: handle.eagerlyStarted, scanned, ms: Date.now() - started };
}
