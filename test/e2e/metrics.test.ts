import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { spawnOwned, waitForLine, type OwnedProcess } from '../../src/launcher/child-process.js';
import { freeLoopbackPort } from '../../src/worker/temporal-runtime.js';
import type { Simulator } from '../../src/simulator/server.js';
import { scanMarketWorkflow } from '../../src/workflows/index.js';
import { listeningAddresses } from '../helpers/listening.js';
import { startTestSimulator } from '../helpers/simulator.js';
import { freshTaskQueue, startLocalTemporal } from '../helpers/temporal-env.js';

/** A worker process as operators run it, scraped after a cycle. */
describe('worker metrics', () => {
  let env: TestWorkflowEnvironment;
  let sim: Simulator;
  let worker: OwnedProcess;
  let port: number;
  const taskQueue = freshTaskQueue('metrics');

  beforeAll(async () => {
    env = await startLocalTemporal();
    sim = await startTestSimulator({ symbols: 20 });
    port = await freeLoopbackPort();
    worker = spawnOwned('metrics-worker', process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      logDir: `${PROJECT_ROOT}/test-artifacts/logs`,
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        EXCHANGE_URL: sim.url,
        STREAMS: 'off',
        METRICS_PORT: String(port),
        LOG_LEVEL: 'info',
      },
    });
    await waitForLine(worker, /"msg":"metrics served"/, 90_000, 'stderr');
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await sim?.close();
    await env?.teardown();
  });

  it("serves the product's and the Temporal SDK's metrics on loopback after a cycle", async () => {
    const report = await env.client.workflow.execute(scanMarketWorkflow, {
      taskQueue,
      workflowId: `${taskQueue}-cycle`,
      args: [{}],
    });
    expect(report.symbolsScanned).toBe(20);
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const value = (line: RegExp) => Number(text.match(line)?.[1] ?? NaN);
    expect(value(/^scanner_cycle_duration_seconds_count (\S+)$/m)).toBe(1);
    expect(value(/^scanner_cycles_total\{trigger="adhoc"\} (\S+)$/m)).toBe(1);
    expect(value(/^scanner_last_cycle_symbols\{state="scanned"\} (\S+)$/m)).toBe(20);
    expect(value(/^scanner_last_cycle_signals (\S+)$/m)).toBe(report.signals.length);
    expect(value(/^scanner_candle_answers_total\{tier="rest"\} (\S+)$/m)).toBe(60);
    expect(value(/^scanner_rest_requests (\S+)$/m)).toBeGreaterThanOrEqual(60);
    expect(value(/^scanner_budget_wait_seconds (\S+)$/m)).toBeGreaterThanOrEqual(0);
    // The SDK's own, from Runtime telemetry.
    expect(text).toMatch(/^temporal_\w+/m);
    expect(text).toMatch(/temporal_workflow_completed/);
    expect(text).toMatch(/temporal_activity_execution_latency/);
    // Bound to loopback only, as the kernel sees it.
    expect(listeningAddresses(port)).toEqual(['127.0.0.1']);
  }, 60_000);
});
