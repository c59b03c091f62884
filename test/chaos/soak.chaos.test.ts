import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { spawnOwned, waitForLine, type OwnedProcess } from '../../src/launcher/child-process.js';
import { freeLoopbackPort } from '../../src/worker/temporal-runtime.js';
import { workerNodeArgs } from '../../src/worker/node-args.js';
import type { Simulator } from '../../src/simulator/server.js';
import { startTestSimulator } from '../helpers/simulator.js';
import { freshTaskQueue } from '../helpers/temporal-env.js';
import {
  CHAOS_LOGS,
  chaosDir,
  expectCompleteReport,
  newCycle,
  RedisProcess,
  recordTiming,
  resultOf,
  TemporalProcess,
} from './harness.js';

const CYCLES = 30;
const HEAP_MB = 192;

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!;
  return Number(kb) / 1024;
}

function gauge(metrics: string, name: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return Number(line?.split(' ').at(-1));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * 30 cycles in a row against the simulator's accelerated clock (a 5m candle
 * closes every 10 s), with all 1,590 streams live, on the compiled worker as
 * production runs it: every report complete, resident memory flat from cycle
 * 5 to 30, and no sockets, timers or Redis connections piling up.
 */
describe('soak', () => {
  let temporal: TemporalProcess;
  let redis: RedisProcess;
  let sim: Simulator;
  let worker: OwnedProcess;
  let metricsUrl: string;
  const taskQueue = freshTaskQueue('soak');

  beforeAll(async () => {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'ignore' });
    temporal = await TemporalProcess.start(chaosDir('soak'));
    redis = await RedisProcess.start();
    sim = await startTestSimulator({ latencyMs: 20, speed: 30, prewarm: true });
    const port = await freeLoopbackPort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    worker = spawnOwned('soak-worker', process.execPath, [...workerNodeArgs(HEAP_MB), 'dist/worker.js'], {
      logDir: CHAOS_LOGS,
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        REDIS_URL: redis.url,
        EXCHANGE_URL: sim.url,
        STREAMS: 'on',
        // The exchange clock runs 30× faster: measure it often.
        EXCHANGE_CLOCK_CHECK_MS: '1000',
        METRICS_PORT: String(port),
        LOG_FORMAT: 'json',
      },
    });
    await waitForLine(worker, /"msg":"metrics served"/, 120_000, 'stderr');
  }, 300_000);
  afterAll(async () => {
    await worker?.stop();
    await sim?.close();
    await redis?.stop();
    await temporal?.stop();
  });

  it(`runs ${CYCLES} cycles with flat memory and no leaks`, async () => {
    const samples: Array<{
      rss: number;
      handles: number;
      resources: number;
      redisClients: number;
      ws: number;
      ms: number;
      rest: number;
    }> = [];
    const redisAdmin = createClient({ url: redis.url });
    await redisAdmin.connect();
    try {
      for (let i = 1; i <= CYCLES; i++) {
        const started = Date.now();
        const { cycleId } = newCycle(temporal, taskQueue);
        const report = await resultOf(temporal, cycleId);
        await expectCompleteReport(report, { symbols: 530, failures: 0 });
        const metrics = await (await fetch(metricsUrl)).text();
        samples.push({
          rss: rssMb(worker.child.pid!),
          handles: gauge(metrics, 'nodejs_active_handles_total'),
          resources: gauge(metrics, 'nodejs_active_resources_total'),
          // The harness's own admin connection and the report checker come and go; the worker's stay.
          redisClients: (await redisAdmin.sendCommand<string>(['CLIENT', 'LIST'])).trim().split('\n').length,
          ws: sim.status().streams.connections,
          ms: Date.now() - started,
          rest: report.stats.restRequests,
        });
        // Cycles every 3 s of real time (90 s of exchange time): 5m candles close between them.
        await new Promise((r) => setTimeout(r, Math.max(0, 3000 - (Date.now() - started))));
      }
    } finally {
      await redisAdmin.quit();
    }
    console.table(samples);
    // Windows of 12 cycles, not 3: RSS saws by ~40 MB between collections (274-315 MB in a run of
    // 2026-12-04), and 3 samples could catch a trough early and a peak late. A leak lifts both.
    const early = samples.slice(3, 15); // cycles 4-15
    const late = samples.slice(-12); // cycles 19-30
    const growth = median(late.map((s) => s.rss)) / median(early.map((s) => s.rss)) - 1;
    recordTiming('soak', {
      cycles: CYCLES,
      rssEarlyMb: median(early.map((s) => s.rss)).toFixed(0),
      rssLateMb: median(late.map((s) => s.rss)).toFixed(0),
      growthPct: (growth * 100).toFixed(1),
      medianCycleMs: median(samples.map((s) => s.ms)),
      handlesEarly: median(early.map((s) => s.handles)),
      handlesLate: median(late.map((s) => s.handles)),
    });
    expect(growth).toBeLessThan(0.1);
    // Sockets and timers: no more late than early (a few in flight either way).
    expect(median(late.map((s) => s.handles))).toBeLessThanOrEqual(median(early.map((s) => s.handles)) + 5);
    expect(median(late.map((s) => s.resources))).toBeLessThanOrEqual(
      median(early.map((s) => s.resources)) + 10,
    );
    expect(median(late.map((s) => s.redisClients))).toBeLessThanOrEqual(
      median(early.map((s) => s.redisClients)),
    );
    // The streams kept their connections (reconnects replace, never add).
    expect(samples.at(-1)!.ws).toBe(samples[4]!.ws);
    // Warm cycles: the streams answer; REST only refills what they could not.
    expect(median(samples.slice(1).map((s) => s.rest))).toBeLessThan(0.02 * 1590);
  }, 900_000);
});
