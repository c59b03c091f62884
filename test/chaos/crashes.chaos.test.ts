import { createClient } from '@redis/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OwnedProcess } from '../../src/launcher/child-process.js';
import type { Simulator } from '../../src/simulator/server.js';
import type { CycleReport } from '../../src/contract/types.js';
import { ScanStatus } from '../../src/contract/search-attributes.js';
import { progressQuery } from '../../src/contract/queries.js';
import { lcg } from '../analysis/candle-fixtures.js';
import { listeningAddresses } from '../helpers/listening.js';
import { startTestSimulator } from '../helpers/simulator.js';
import { freshTaskQueue } from '../helpers/temporal-env.js';
import {
  chaosDir,
  expectCompleteReport,
  logLines,
  newCycle,
  RedisProcess,
  recordHistories,
  recordTiming,
  resultOf,
  sigkill,
  startWorkerProcess,
  TemporalProcess,
  firstFetching,
  whenFetching,
} from './harness.js';

const SYMBOLS = 530;

/**
 * Crashes in the middle of full 530-symbol cycles, on real processes: worker
 * processes SIGKILLed, the dev server killed and restarted on its SQLite
 * file, Redis killed and restarted. Every cycle must finish with every
 * symbol once and its report saved once. Each cycle is cold (Redis flushed,
 * fresh workers) and slow enough to be hit mid-fetch (400 ms per request,
 * 4 requests at a time per batch); its time is compared with an undisturbed
 * one of the same run.
 */
describe('crashes mid-cycle', () => {
  let temporal: TemporalProcess;
  let redis: RedisProcess;
  let sim: Simulator;
  let taskQueue: string;
  let baselineMs = 0;
  const workers: OwnedProcess[] = [];
  // Seeded, so a failing kill point can be replayed; printed with each kill.
  const random = lcg(Number(process.env.CHAOS_SEED ?? '1'));
  const between = (lo: number, hi: number) => Math.round(lo + random() * (hi - lo));
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const worker = async () => {
    const w = await startWorkerProcess({
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      REDIS_URL: redis.url,
      EXCHANGE_URL: sim.url,
      STREAMS: 'off',
      SCAN_FETCH_CONCURRENCY: '4',
      // The simulator's limit is lifted too: these cycles follow each other within a minute.
      EXCHANGE_WEIGHT_LIMIT: '100000',
    });
    workers.push(w);
    return w;
  };

  beforeAll(async () => {
    temporal = await TemporalProcess.start(chaosDir('temporal'));
    redis = await RedisProcess.start();
    sim = await startTestSimulator({ latencyMs: 400, weightLimit: 1_000_000, prewarm: true });
  }, 180_000);
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await sim?.close();
    await redis?.stop();
    await temporal?.stop();
  });
  beforeEach(async () => {
    taskQueue = freshTaskQueue('chaos');
    const client = createClient({ url: redis.url });
    await client.connect();
    await client.flushAll();
    await client.quit();
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
  });

  it('the dev server (frontend and Web UI) listens on loopback only', () => {
    expect(listeningAddresses(Number(temporal.address.split(':')[1]))).toEqual(['127.0.0.1']);
    expect(listeningAddresses(temporal.uiPort)).toEqual(['127.0.0.1']);
  });

  it('an undisturbed cold cycle (the baseline)', async () => {
    await worker();
    const { cycleId, started } = newCycle(temporal, taskQueue);
    const report = await resultOf(temporal, cycleId);
    baselineMs = Date.now() - started;
    await expectCompleteReport(report, { symbols: SYMBOLS, failures: 0 });
    recordTiming('undisturbed', { ms: baselineMs });
  }, 300_000);

  it('a worker SIGKILLed three times at different points; the next one finishes, resuming from heartbeats', async () => {
    let current = await worker();
    const { cycleId, started } = newCycle(temporal, taskQueue);
    const progress = () => temporal.client.workflow.getHandle(cycleId).query(progressQuery);
    const kills: string[] = [];
    // Early in the first fetch; in the middle of the resumed fetch; once batches have begun to finish.
    const killPoints = [
      () => wait(between(200, 1500)),
      () => wait(between(1000, 3000)),
      async () => {
        for (;;) {
          const p = await progress().catch(() => undefined);
          if (p && (p.batchesDone >= 1 || p.phase !== 'scanning')) break;
          await wait(200);
        }
        await wait(between(0, 1000));
      },
    ];
    for (const killPoint of killPoints) {
      await whenFetching(current);
      await killPoint();
      const p = await progress();
      kills.push(`${Date.now() - started} ms (${p.phase}, ${p.batchesDone}/${p.batchesTotal} batches)`);
      await sigkill(current);
      current = await worker();
    }
    const report = await resultOf(temporal, cycleId);
    const ms = Date.now() - started;
    await expectCompleteReport(report, { symbols: SYMBOLS, failures: 0 });
    // Retried fetches took up where their heartbeats said the dead worker stopped.
    const resumed = workers
      .flatMap((w) => logLines(w, /^fetchCandles started$/))
      .map((l) => Number(l.resumed));
    expect(resumed.some((n) => n > 0)).toBe(true);
    // A cycle whose batches' activities were retried after worker deaths, kept for replay.
    await recordHistories(temporal, [
      [cycleId, 'crash-scan-market'],
      [`${cycleId}/batch-01`, 'crash-scan-batch'],
    ]);
    recordTiming('worker SIGKILL x3', {
      ms,
      baselineMs,
      ratio: (ms / baselineMs).toFixed(2),
      killsAt: kills.join('; '),
    });
  }, 600_000);

  /**
   * A cycle on `workers` fresh workers, disturbed once one of them is
   * fetching (after a random 0.5-3 s; a worker disturbance hits that one),
   * awaited, checked complete, and timed.
   */
  async function disturbedCycle(
    scenario: string,
    workers: number,
    disturb: (first: OwnedProcess) => Promise<void>,
  ): Promise<{ first: OwnedProcess; report: CycleReport; cycleId: string }> {
    const started = [];
    for (let i = 0; i < workers; i++) started.push(await worker());
    const cycle = newCycle(temporal, taskQueue);
    const first = await firstFetching(started);
    await new Promise((r) => setTimeout(r, between(500, 3000)));
    const killAt = Date.now() - cycle.started;
    await disturb(first);
    const report = await resultOf(temporal, cycle.cycleId);
    const ms = Date.now() - cycle.started;
    await expectCompleteReport(report, { symbols: SYMBOLS, failures: 0 });
    recordTiming(scenario, { ms, baselineMs, ratio: (ms / baselineMs).toFixed(2), killsAtMs: killAt });
    return { first, report, cycleId: cycle.cycleId };
  }

  it('two workers on the task queue, one SIGKILLed mid-cycle; the other finishes', async () => {
    await disturbedCycle('one of two workers SIGKILL', 2, sigkill);
  }, 600_000);

  it('the dev server SIGKILLed mid-cycle and restarted on its SQLite file; the cycle finishes', async () => {
    const { first } = await disturbedCycle('dev server SIGKILL + restart', 1, async () => {
      await temporal.kill();
      await new Promise((r) => setTimeout(r, 2000));
      await temporal.restart();
    });
    // The same worker carried on: it reconnected by itself.
    expect(first.child.exitCode).toBeNull();
  }, 600_000);

  it('Redis SIGKILLed mid-cycle and restarted empty; the cycle finishes and says it ran degraded', async () => {
    const { report, cycleId } = await disturbedCycle('Redis SIGKILL + restart', 1, async () => {
      await redis.kill();
      await new Promise((r) => setTimeout(r, 2000));
      await redis.restart();
    });
    expect(report.stats.cacheDegraded).toBe(true);
    const description = await temporal.client.workflow.getHandle(cycleId).describe();
    expect(description.typedSearchAttributes.get(ScanStatus)).toBe('degraded');
  }, 600_000);
});
