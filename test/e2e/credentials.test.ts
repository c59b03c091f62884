import { readFileSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportKey } from '../../src/cache/keys.js';
import type { OwnedProcess } from '../../src/runtime/child-process.js';
import { freeLoopbackPort } from '../../src/runtime/temporal-runtime.js';
import type { Simulator } from '../../src/simulator/server.js';
import { scanMarketWorkflow } from '../../src/workflows/index.js';
import { RedisProcess, startWorkerProcess } from '../chaos/harness.js';
import { runScript } from '../helpers/run-node.js';
import { startTestSimulator } from '../helpers/simulator.js';
import { freshTaskQueue, startLocalTemporal } from '../helpers/temporal-env.js';

const REDIS_PASSWORD = 'redis-pw-7f3a9c1e';
const TEMPORAL_API_KEY = 'temporal-key-5b8d2e60';
const SECRETS = [REDIS_PASSWORD, TEMPORAL_API_KEY];

/**
 * A worker and a client given a Redis password and a Temporal API key, run
 * through a cycle at debug level: neither secret appears in any log line,
 * the report, a workflow history, the metrics, or an error message.
 */
describe('credentials stay out of logs, reports and payloads', () => {
  let env: TestWorkflowEnvironment;
  let redis: RedisProcess;
  let sim: Simulator;
  let worker: OwnedProcess;
  let metricsPort: number;
  let secretsEnv: NodeJS.ProcessEnv;
  const taskQueue = freshTaskQueue('secrets');
  const cycleId = `scan-adhoc-secrets-${Date.now()}`;

  beforeAll(async () => {
    env = await startLocalTemporal();
    redis = await RedisProcess.start({ password: REDIS_PASSWORD });
    sim = await startTestSimulator({ symbols: 6 });
    metricsPort = await freeLoopbackPort();
    secretsEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEMPORAL_API_KEY,
      // The dev server speaks plain gRPC; the key still goes with every call.
      TEMPORAL_TLS: 'off',
      REDIS_URL: redis.url,
      EXCHANGE_URL: sim.url,
    };
    worker = await startWorkerProcess({
      ...secretsEnv,
      LOG_LEVEL: 'debug',
      METRICS_PORT: String(metricsPort),
      STREAMS: 'off',
    });
    await env.client.workflow.execute(scanMarketWorkflow, {
      taskQueue,
      workflowId: cycleId,
      args: [{ trigger: 'adhoc' }],
    });
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
    await sim?.close();
    await redis?.stop();
    await env?.teardown();
  });

  const expectNoSecret = (where: string, text: string) => {
    expect(text.length, where).toBeGreaterThan(0);
    for (const secret of SECRETS) expect(text.includes(secret), `${where} holds a secret`).toBe(false);
  };

  it('not in the worker log (debug level, the SDK included)', () => {
    const log = readFileSync(worker.logFile, 'utf8');
    expect(log).toMatch(/"msg":"cycle finished"/);
    expectNoSecret('worker log', log);
  });

  it('not in the saved report nor in any workflow history', async () => {
    const client = createClient({ url: redis.url });
    await client.connect();
    const report = await client.get(reportKey(cycleId));
    await client.quit();
    expectNoSecret('report', report ?? '');
    for (const id of [cycleId, `${cycleId}/batch-01`]) {
      const history = await env.client.workflow.getHandle(id).fetchHistory();
      expectNoSecret(`history of ${id}`, JSON.stringify(history));
    }
  });

  it('not in the metrics', async () => {
    expectNoSecret('metrics', await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text());
  });

  it('not in the client output nor in error messages that name the Redis URL', async () => {
    const report = await runScript('src/client.ts', ['report', cycleId], secretsEnv);
    expect(report.code, `${report.stdout}${report.stderr}`).toBe(0);
    expectNoSecret('client report', `${report.stdout}${report.stderr}`);
    const unreachable = { ...secretsEnv, REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:1` };
    const client = await runScript('src/client.ts', ['report', 'latest'], unreachable);
    expect(client.code).toBe(1);
    expectNoSecret('client error', `${client.stdout}${client.stderr}`);
    const start = await runScript('src/start.ts', ['--once'], unreachable);
    expect(start.code).toBe(1);
    expect(`${start.stdout}${start.stderr}`).toMatch(
      /Redis is not answering at redis:\/\/:\*\*\*@127\.0\.0\.1:1/,
    );
    expectNoSecret('npm start error', `${start.stdout}${start.stderr}`);
  });
});
