import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createActivities, type Activities } from '../../src/activities/create-activities.js';
import { loadConfig } from '../../src/config.js';
import { progressQuery } from '../../src/contract/queries.js';
import type { MarketClient } from '../../src/exchange/market-client.js';
import type { Simulator } from '../../src/simulator/server.js';
import { withLedger } from '../helpers/ledger.js';
import { createWorkerDeps } from '../../src/worker/worker-deps.js';
import { WORKFLOWS_PATH } from '../../src/worker/workflow-source.js';
import { scanMarketWorkflow } from '../../src/workflows/index.js';
import { startTestSimulator } from '../helpers/simulator.js';
import { freshTaskQueue, startLocalTemporal } from '../helpers/temporal-env.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

/** The cycle's orchestration on a real dev server, with real activities against the simulator and Redis. */
describe('scanMarketWorkflow', () => {
  let env: TestWorkflowEnvironment;
  let sim: Simulator;
  let market: MarketClient;
  let activities: Activities;
  const closers: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    env = await startLocalTemporal();
    sim = await startTestSimulator({ symbols: 40, latencyMs: 20 });
    const built = await createWorkerDeps(
      loadConfig(process.env, {
        EXCHANGE_URL: sim.url,
        EXCHANGE_TIMEOUT_MS: '2000',
        SCAN_FETCH_CONCURRENCY: '16',
        // These tests delist symbols and expect the next listing to see it at once.
        EXCHANGE_MARKETS_REFRESH_MS: '0',
        STREAMS: 'off',
      }),
      pino({ level: 'silent' }),
    );
    market = built.stack.market;
    closers.push(
      () => built.close(),
      () => sim.close(),
      () => env.teardown(),
    );
    activities = createActivities(built.deps);
  });
  afterAll(async () => {
    for (const close of closers) await close().catch(() => {});
  });

  async function run(input: Parameters<typeof scanMarketWorkflow>[0], acts: Activities = activities) {
    const taskQueue = freshTaskQueue('wf');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      activities: acts,
    });
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(scanMarketWorkflow, {
        taskQueue,
        workflowId: taskQueue,
        args: [input],
      });
      return { handle, report: await handle.result() };
    });
  }

  it('reports unknown and delisted symbols with their reason, and scans the rest', async () => {
    sim.state.delist('ETHUSDT');
    try {
      const { report } = await run({
        symbols: ['BTCUSDT', 'ETH/USDT:USDT', 'NOPE/USDT:USDT', 'SOLUSDT'],
        batchSize: 2,
      });
      expect(report.symbolsRequested).toBe(4);
      expect(report.symbolsScanned).toBe(2);
      expect(report.batches).toBe(1);
      const reasons = Object.fromEntries(report.failures.map((f) => [f.symbol, f.reason]));
      expect(reasons['NOPE/USDT:USDT']).toMatch(/UnknownSymbolError: not an active USDT perpetual/);
      expect(reasons['ETH/USDT:USDT']).toMatch(/UnknownSymbolError: not an active USDT perpetual/);
    } finally {
      sim.state.setDelisted([]);
    }
  });

  it("reports a symbol delisted after the listing as failed, with the exchange's reason, and keeps its batch", async () => {
    await market.perpetuals(); // listed now...
    sim.state.delist('LINKUSDT'); // ...delisted before its candles are fetched
    try {
      const result = await activities.fetchCandles({
        cycleId: 'c',
        symbols: ['BTC/USDT:USDT', 'LINK/USDT:USDT'],
        timeframes: ['1h'],
        candleLimit: 99,
      });
      expect(result.stored).toEqual(['BTC/USDT:USDT']);
      expect(result.failures).toEqual([
        {
          symbol: 'LINK/USDT:USDT',
          reason: expect.stringMatching(/UnknownSymbolError.*Invalid symbol/) as string,
        },
      ]);
    } finally {
      sim.state.setDelisted([]);
    }
  });

  it('answers the progress query while running and at the end', async () => {
    const taskQueue = freshTaskQueue('progress');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      activities,
    });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(scanMarketWorkflow, {
        taskQueue,
        workflowId: taskQueue,
        args: [{ batchSize: 8 }],
      });
      const seen = [];
      // What the Web UI shows as the running cycle's "current details" (the SDK's metadata query).
      const details = new Set<string>();
      for (let i = 0; i < 200; i++) {
        const progress = await handle.query(progressQuery).catch(() => undefined);
        const metadata = await handle
          .query<{ currentDetails: string }>('__temporal_workflow_metadata')
          .catch(() => undefined);
        if (progress) seen.push(progress);
        if (metadata?.currentDetails) details.add(metadata.currentDetails);
        if (progress?.phase === 'done') break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const report = await handle.result();
      expect(seen.some((p) => p.phase === 'scanning' && p.batchesDone < p.batchesTotal)).toBe(true);
      expect([...details]).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^\*\*scanning\*\*: \d+\/40 symbols in [0-4]\/5 batches, \d+ failed, \d+ signals$/,
          ),
        ]),
      );
      seen.push(await handle.query(progressQuery));
      expect(seen.at(-1)).toMatchObject({
        phase: 'done',
        batchesDone: 5,
        batchesTotal: 5,
        symbolsDone: 40,
        symbolsTotal: 40,
      });
      expect(seen.at(-1)!.signals).toBe(report.signals.length);
    });
  });

  it('turns a batch that fails as a whole into per-symbol failures; the cycle completes', async () => {
    const refuse = (symbols: string[]) => {
      if (symbols.includes('BTC/USDT:USDT'))
        throw ApplicationFailure.nonRetryable('exchange refused the whole batch', 'BadRequestError');
    };
    // The batch's first step fails, whichever it is: the store's answers, or the exchange's.
    const failing: Activities = {
      ...activities,
      fetchFromStore: async (input) => {
        refuse(input.symbols);
        return activities.fetchFromStore(input);
      },
      fetchCandles: async (input) => {
        refuse(input.symbols);
        return activities.fetchCandles(input);
      },
    };
    const { report } = await run(
      { symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT'], batchSize: 2 },
      failing,
    );
    expect(report.symbolsScanned).toBe(2);
    expect(report.failures.map((f) => f.symbol).sort()).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    expect(report.failures[0]!.reason).toMatch(/batch failed.*refused the whole batch/);
  });

  it('fails fast, without retrying, on an impossible input', async () => {
    const error = await run({ batchSize: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(((error as WorkflowFailedError).cause as ApplicationFailure).type).toBe('ConfigError');
    expect(((error as WorkflowFailedError).cause as Error).message).toMatch(/batch size 0/);
  });

  it('saves its report once, however often saveReport runs', async () => {
    const { report } = await run({ symbols: ['BTCUSDT'] });
    expect(await activities.saveReport(report)).toMatchObject({ saved: false });
    const recent = await withLedger((ledger) => ledger.recentCycles(500));
    expect(recent.filter((c) => c.cycleId === report.cycleId)).toHaveLength(1);
  });
});
