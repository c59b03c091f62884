import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../../src/activities/create-activities.js';
import type { Signal } from '../../src/analysis/signal.js';
import { progressQuery } from '../../src/contract/queries.js';
import type { CycleReport, FetchCandlesResult, Progress, SeriesRequest } from '../../src/contract/types.js';
import { WORKFLOWS_PATH } from '../../src/worker/workflow-source.js';
import { scanMarketWorkflow } from '../../src/workflows/index.js';
import { freshTaskQueue, startLocalTemporal } from '../helpers/temporal-env.js';

const UNIVERSE = Array.from({ length: 20 }, (_, i) => `S${String(i).padStart(2, '0')}/USDT:USDT`);

function signalOf(symbol: string, score: number): Signal {
  return {
    symbol,
    direction: 'LONG',
    score,
    reasons: ['test'],
    price: 1,
    stop: 0.9,
    target: 1.2,
    timeframes: ['1h'],
    candleTime: 0,
  };
}

/**
 * The cycle's orchestration with mocked activities (the samples'
 * workflows-mocks pattern): a real dev server and worker, but activities that
 * are plain functions, so failing batches, progress and the report's
 * completeness are checked in seconds, without the simulator or Redis.
 */
describe('scanMarketWorkflow with mocked activities', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startLocalTemporal();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  /** Activities over UNIVERSE: symbol i fails to fetch when i % 7 == 3, signals score 40 + i. */
  function mockActivities(hooks: { fetch?: (input: SeriesRequest) => Promise<void> } = {}) {
    const saved: CycleReport[] = [];
    const activities: Activities = {
      listSymbols: (request) =>
        Promise.resolve({
          symbols: request.symbols?.filter((s) => UNIVERSE.includes(s)) ?? UNIVERSE,
          rejected: (request.symbols ?? [])
            .filter((s) => !UNIVERSE.includes(s))
            .map((symbol) => ({ symbol, reason: 'UnknownSymbolError: not listed' })),
        }),
      // Nothing in the store: every symbol goes to fetchCandles.
      fetchFromStore: (input) =>
        Promise.resolve({
          stored: [],
          missing: input.symbols,
          stats: {
            fetchMs: 0,
            restRequests: 0,
            restWeight: 0,
            retries: 0,
            answers: { l1: 0, l2: 0, stream: 0, rest: 0 },
            cacheDegraded: false,
          },
        }),
      fetchCandles: async (input): Promise<FetchCandlesResult> => {
        await hooks.fetch?.(input);
        const failing = input.symbols.filter((s) => UNIVERSE.indexOf(s) % 7 === 3);
        return {
          stored: input.symbols.filter((s) => !failing.includes(s)),
          failures: failing.map((symbol) => ({ symbol, reason: 'TemporaryExchangeError: 503' })),
          stats: {
            fetchMs: 5,
            restRequests: input.symbols.length,
            restWeight: input.symbols.length,
            retries: 1,
            answers: { l1: 0, l2: 0, stream: 0, rest: input.symbols.length * input.timeframes.length },
            cacheDegraded: false,
          },
        };
      },
      analyzeBatch: (input) =>
        Promise.resolve({
          signals: input.symbols.map((s) => signalOf(s, 40 + UNIVERSE.indexOf(s))),
          failures: [],
          analyzeMs: 2,
        }),
      saveReport: (report) => {
        saved.push(report);
        return Promise.resolve({ saved: true });
      },
    };
    return { activities, saved };
  }

  async function runCycle(
    activities: Activities,
    args: Parameters<typeof scanMarketWorkflow>[0],
    during?: (id: string) => Promise<void>,
  ) {
    const taskQueue = freshTaskQueue('mocked');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      activities,
    });
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(scanMarketWorkflow, {
        taskQueue,
        workflowId: taskQueue,
        args: [args],
      });
      await during?.(handle.workflowId);
      return handle.result();
    });
  }

  it('accounts for every symbol exactly once: scanned, or failed with its reason', async () => {
    const { activities, saved } = mockActivities();
    const report = await runCycle(activities, { batchSize: 6, symbols: [...UNIVERSE, 'NOPE/USDT:USDT'] });
    expect(report.batches).toBe(4);
    expect(report.symbolsRequested).toBe(21);
    const failed = report.failures.map((f) => f.symbol);
    expect(failed.sort()).toEqual(['NOPE/USDT:USDT', 'S03/USDT:USDT', 'S10/USDT:USDT', 'S17/USDT:USDT']);
    expect(report.symbolsScanned + report.failures.length).toBe(21);
    expect(new Set(report.signals.map((s) => s.symbol)).size).toBe(report.symbolsScanned);
    // Ranked best first; counts summed over batches, times those of the slowest.
    expect(report.signals.map((s) => s.score)).toEqual(
      [...report.signals.map((s) => s.score)].sort((a, b) => b - a),
    );
    expect(report.stats).toMatchObject({ restRequests: 20, retries: 4, fetchMs: 5, analyzeMs: 2 });
    expect(report.stats.answers.rest).toBe(60);
    expect(saved).toEqual([report]);
  });

  it('turns a batch that fails as a whole into a failure for each of its symbols; the cycle completes', async () => {
    const { activities } = mockActivities({
      fetch: (input) =>
        input.symbols.includes('S07/USDT:USDT')
          ? Promise.reject(
              ApplicationFailure.nonRetryable('the exchange refused the batch', 'BadRequestError'),
            )
          : Promise.resolve(),
    });
    const report = await runCycle(activities, { batchSize: 5 });
    const batchFailures = report.failures.filter((f) => f.reason.startsWith('batch failed'));
    expect(batchFailures.map((f) => f.symbol)).toEqual(UNIVERSE.slice(5, 10));
    expect(batchFailures[0]!.reason).toBe('batch failed: the exchange refused the batch');
    expect(report.symbolsScanned + report.failures.length).toBe(20);
  });

  it('answers the progress query while batches run, and at the end', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The first batch finishes at once; the others wait for the test.
    const { activities } = mockActivities({
      fetch: (input) => (input.symbols.includes('S00/USDT:USDT') ? Promise.resolve() : gate),
    });
    const seen: Progress[] = [];
    const report = await runCycle(activities, { batchSize: 5 }, async (id) => {
      const handle = env.client.workflow.getHandle(id);
      for (let i = 0; i < 200; i++) {
        // Until the worker has polled once, the server says there is no one to ask.
        const progress = await handle.query(progressQuery).catch(() => undefined);
        if (progress?.phase === 'scanning' && progress.batchesDone === 1) {
          seen.push(progress);
          break;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      release();
      // A finished cycle still answers (a worker replays it to).
      await handle.result();
      seen.push(await handle.query(progressQuery));
    });
    expect(seen[0]).toMatchObject({
      phase: 'scanning',
      batchesDone: 1,
      batchesTotal: 4,
      symbolsDone: 5,
      symbolsTotal: 20,
    });
    expect(seen[0]!.signals).toBe(4); // S03 failed to fetch
    expect(report.symbolsScanned).toBe(17);
    expect(seen[1]).toMatchObject({
      phase: 'done',
      batchesDone: 4,
      symbolsDone: 20,
      failures: 3,
      signals: 17,
    });
  });
});
