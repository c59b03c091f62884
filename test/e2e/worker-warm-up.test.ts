import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adhocCycleOptions } from '../../src/client/commands.js';
import { WARM_UP_WORKFLOW_TYPE } from '../../src/contract/ids.js';
import type { BatchResult } from '../../src/contract/types.js';
import { BATCH_SIZE } from '../../src/core/limits.js';
import { startWorker, type RunningWorker } from '../../src/worker/worker-runtime.js';
import { scanMarketWorkflow } from '../../src/workflows/index.js';
import { recordHistory } from '../helpers/histories.js';
import { withLedger } from '../helpers/ledger.js';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * A new worker runs the warm-up workflow on itself before it says it is
 * ready (src/workflows/worker-warm-up.ts): started eagerly, one batch of
 * what the store holds, nothing saved, nothing a query for cycles finds.
 */
describe("a new worker's workflow warm-up", () => {
  let stack: Stack;
  let second: RunningWorker | undefined;
  const logs: Array<Record<string, unknown>> = [];
  const warmUps = () => logs.filter((line) => line.msg === 'workflow path warmed up');

  beforeAll(async () => {
    // The stack's own worker warmed up on an empty store; a cycle fills it (Redis and memory).
    stack = await startStack({ sim: { latencyMs: 20, prewarm: true } });
    await stack.env.client.workflow.execute(
      scanMarketWorkflow,
      adhocCycleOptions(stack.config.TEMPORAL_TASK_QUEUE, `scan-adhoc-warm-up-${Date.now()}`, {}),
    );
    // A second worker on the same queue: it finds the store full, as a restarted one does.
    const log = pino(
      { level: 'info' },
      { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
    );
    // A connection of its own: two workers of one task queue cannot share one.
    second = await startWorker({ ...stack.config, TEMPORAL_ADDRESS: stack.env.address }, log);
  }, 300_000);
  afterAll(async () => {
    second?.shutdown();
    await second?.done;
    await stack?.stop();
  });

  it('ran before the worker said it was started, eagerly, on one batch of stored symbols', () => {
    const messages = logs.map((line) => line.msg);
    expect(messages.indexOf('workflow path warmed up')).toBeGreaterThan(-1);
    expect(messages.indexOf('workflow path warmed up')).toBeLessThan(messages.indexOf('worker started'));
    const [warmUp] = warmUps();
    expect(warmUp).toMatchObject({ eager: true, scanned: BATCH_SIZE.default });
  });

  it('is a completed workflow with one batch child, and saved nothing', async () => {
    const workflowId = String(warmUps()[0]!.workflowId);
    const handle = stack.env.client.workflow.getHandle(workflowId);
    const description = await handle.describe();
    expect(description.type).toBe(WARM_UP_WORKFLOW_TYPE);
    expect(description.status.name).toBe('COMPLETED');
    expect(await handle.result()).toEqual({ scanned: BATCH_SIZE.default });
    const batch = (await stack.env.client.workflow
      .getHandle(`${workflowId}/batch-01`)
      .result()) as BatchResult;
    expect(batch.scanned).toBe(BATCH_SIZE.default);
    expect(batch.stats.restRequests).toBe(0);
    // With RECORD_HISTORY=1, both histories join the current generation that replay.test.ts replays.
    recordHistory('worker-warm-up', workflowId, await handle.fetchHistory());
    recordHistory(
      'worker-warm-up-batch',
      `${workflowId}/batch-01`,
      await stack.env.client.workflow.getHandle(`${workflowId}/batch-01`).fetchHistory(),
    );
    await withLedger(async (ledger) => expect(await ledger.report(workflowId)).toBeUndefined());
  });

  it('is not found by the queries that find cycles', async () => {
    const found: string[] = [];
    for await (const wf of stack.env.client.workflow.list({
      query: `WorkflowType = 'scanMarketWorkflow' OR ScanStatus = 'completed'`,
    }))
      found.push(wf.workflowId);
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((id) => id.startsWith('worker-warm-up'))).toEqual([]);
  });
});
