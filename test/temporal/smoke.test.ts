import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { freshTaskQueue, startLocalTemporal } from '../helpers/temporal-env.js';
import { requireTemporalCli } from '../../src/temporal/cli.js';
import { createSmokeActivities } from './smoke-activities.js';
import { smokeWorkflow } from './smoke-workflow.js';

describe('the provisioned Temporal CLI', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startLocalTemporal();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('is the official binary', () => {
    const version = execFileSync(requireTemporalCli(), ['--version'], { encoding: 'utf8' });
    expect(version).toMatch(/^temporal version \d+\.\d+\.\d+ \(Server \d+/);
  });

  it('runs a workflow with an activity on a real dev server', async () => {
    const taskQueue = freshTaskQueue('smoke');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('./smoke-workflow.ts', import.meta.url)),
      activities: createSmokeActivities('hello'),
    });
    const result = await worker.runUntil(
      env.client.workflow.execute(smokeWorkflow, { taskQueue, workflowId: taskQueue, args: ['Temporal'] }),
    );
    expect(result).toBe('hello, Temporal');
    const history = await env.client.workflow.getHandle(taskQueue).fetchHistory();
    const types = history.events?.map((e) => e.eventType) ?? [];
    expect(types.length).toBeGreaterThan(5);
  });
});
