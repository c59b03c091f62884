import { readFileSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/storage/ledger/open-ledger.js';
import { postgresDatabases, type LedgerDatabases } from '../storage/ledger-databases.js';
import type { OwnedProcess } from '../../src/launcher/child-process.js';
import { freeLoopbackPort } from '../../src/worker/temporal-runtime.js';
import type { Simulator } from '../../src/simulator/server.js';
import { scanMarketWorkflow } from '../../src/workflows/index.js';
import { RedisProcess, startWorkerProcess } from '../chaos/harness.js';
import { runScript } from '../helpers/run-node.js';
import { startTestSimulator } from '../helpers/simulator.js';
import { freshTaskQueue, startLocalTemporal } from '../helpers/temporal-env.js';

const REDIS_PASSWORD = 'redis-pw-7f3a9c1e';
const TEMPORAL_API_KEY = 'temporal-key-5b8d2e60';
const DATABASE_PASSWORD = 'ledger-pw-91c4d7aa';
const SECRETS = [REDIS_PASSWORD, TEMPORAL_API_KEY, DATABASE_PASSWORD];

/**
 * A worker and a client given a Redis password, a Temporal API key and a
 * ledger database password, run through a cycle at debug level: no secret
 * appears in any log line, the report, a workflow history, the metrics, or
 * an error message. (PostgreSQL here trusts local connections: the password
 * is sent and ignored, which is all this test needs.)
 */
describe('credentials stay out of logs, reports and payloads', () => {
  let env: TestWorkflowEnvironment;
  let redis: RedisProcess;
  let sim: Simulator;
  let worker: OwnedProcess;
  let metricsPort: number;
  let secretsEnv: NodeJS.ProcessEnv;
  let databases: LedgerDatabases;
  let databaseUrl: string;
  const taskQueue = freshTaskQueue('secrets');
  const cycleId = `scan-adhoc-secrets-${Date.now()}`;

  beforeAll(async () => {
    env = await startLocalTemporal();
    redis = await RedisProcess.start({ password: REDIS_PASSWORD });
    sim = await startTestSimulator({ symbols: 6 });
    metricsPort = await freeLoopbackPort();
    databases = await postgresDatabases();
    databaseUrl = (await databases.fresh()).databaseUrl!.replace(
      'postgres@',
      `postgres:${DATABASE_PASSWORD}@`,
    );
    secretsEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEMPORAL_API_KEY,
      // The dev server speaks plain gRPC; the key still goes with every call.
      TEMPORAL_TLS: 'off',
      REDIS_URL: redis.url,
      EXCHANGE_URL: sim.url,
      DATABASE_URL: databaseUrl,
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
    await databases?.dropAll();
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
    const ledger = await openLedger({ databaseUrl, sqliteFile: '(unused)' });
    const report = await ledger.report(cycleId).finally(() => ledger.close());
    expect(report?.cycleId).toBe(cycleId);
    expectNoSecret('report', JSON.stringify(report));
    for (const id of [cycleId, `${cycleId}/batch-01`]) {
      const history = await env.client.workflow.getHandle(id).fetchHistory();
      expectNoSecret(`history of ${id}`, JSON.stringify(history));
    }
  });

  it('not in the metrics', async () => {
    expectNoSecret('metrics', await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text());
  });

  it('not in the client output nor in error messages that name the Redis or database URL', async () => {
    const report = await runScript('src/client.ts', ['report', cycleId], secretsEnv);
    expect(report.code, `${report.stdout}${report.stderr}`).toBe(0);
    expectNoSecret('client report', `${report.stdout}${report.stderr}`);
    const unreachable = {
      ...secretsEnv,
      REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:1`,
      DATABASE_URL: `postgres://scanner:${DATABASE_PASSWORD}@127.0.0.1:1/scanner`,
    };
    const client = await runScript('src/client.ts', ['report', 'latest'], unreachable);
    expect(client.code).toBe(1);
    expect(client.stderr).toMatch(
      /ledger PostgreSQL at postgres:\/\/scanner:\*\*\*@127\.0\.0\.1:1\/scanner unreachable/,
    );
    expectNoSecret('client error', `${client.stdout}${client.stderr}`);
    const start = await runScript('src/start.ts', ['--once'], unreachable);
    expect(start.code).toBe(1);
    expect(`${start.stdout}${start.stderr}`).toMatch(
      /Redis is not answering at redis:\/\/:\*\*\*@127\.0\.0\.1:1/,
    );
    expectNoSecret('npm start error', `${start.stdout}${start.stderr}`);
  });
});
