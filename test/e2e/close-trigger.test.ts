import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSchedule } from '../../src/client/schedule.js';
import { scheduledCycleId } from '../../src/contract/ids.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { spawnOwned, waitForLine, type OwnedProcess } from '../../src/launcher/child-process.js';
import { scanMarketWorkflow } from '../../src/workflows/index.js';
import { startStack, type Stack } from '../helpers/stack.js';

const MINUTE = 60_000;
const SYMBOLS = 40;
const OFFSET_SECONDS = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Cycles that start on the candle close, at real clock speed: the simulator
 * sends each final 1m kline about 2 s after the close, two workers follow the
 * streams, and a Schedule every minute (close + 5 s) stands behind them.
 */
describe('cycles on the close', () => {
  let stack: Stack;
  let second: OwnedProcess;

  /** Every run (not only the latest) of each workflow id matching `query`. */
  async function runs(query: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for await (const wf of stack.env.client.workflow.list({ query }))
      counts.set(wf.workflowId, (counts.get(wf.workflowId) ?? 0) + 1);
    return counts;
  }

  /** The next whole minute from now, and when a cycle for it should have finished (real clock = exchange clock). */
  function nextClose(): number {
    return Math.ceil((Date.now() + 1_000) / MINUTE) * MINUTE;
  }

  beforeAll(async () => {
    const env = {
      STREAMS: 'on',
      SCAN_TIMEFRAMES: '5m,1m',
      SCAN_CRON: '* * * * *',
      SCAN_OFFSET_SECONDS: String(OFFSET_SECONDS),
      EXCHANGE_CLOCK_CHECK_MS: '1000',
    };
    stack = await startStack({ sim: { symbols: SYMBOLS, latencyMs: 10 }, env });
    // A second worker process on the same task queue, with streams and a close trigger of its own.
    second = spawnOwned('close-trigger-worker', process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      logDir: path.join(tmpdir(), 'scanner-close-trigger'),
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        ...env,
        TEMPORAL_ADDRESS: stack.env.address,
        TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
        EXCHANGE: 'simulator',
        EXCHANGE_URL: stack.config.EXCHANGE_URL,
        METRICS_PORT: '0',
        LOG_FORMAT: 'json',
      },
    });
    await waitForLine(second, /"msg":"worker started"/, 60_000, 'stderr');
    // Streams only extend series REST has seeded: one ad-hoc cycle seeds them (in Redis, for both workers).
    await stack.env.client.workflow.execute(scanMarketWorkflow, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId: `scan-adhoc-seed-${Date.now()}`,
      args: [{ timeframes: ['5m', '1m'] }],
    });
    expect(await ensureSchedule(stack.env.client, stack.config)).toBe('created');
  }, 120_000);
  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
  });

  it('starts one cycle per close as the final klines arrive, however many workers and Schedules see it', async () => {
    const first = nextClose();
    // Two closes, each past the Schedule's own start at close + 5 s.
    await sleep(first + MINUTE + (OFFSET_SECONDS + 4) * 1000 - Date.now());

    const ids = [first, first + MINUTE].map((close) => scheduledCycleId(close + OFFSET_SECONDS * 1000));
    const all = await runs(`WorkflowType = 'scanMarketWorkflow' AND WorkflowId IN ('${ids.join("','")}')`);
    // Both workers and the Schedule asked for each close: Temporal ran it once.
    expect(Object.fromEntries(all)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));

    for (const [i, id] of ids.entries()) {
      const handle = stack.env.client.workflow.getHandle<typeof scanMarketWorkflow>(id);
      const report = await handle.result();
      const close = first + i * MINUTE;
      console.log(
        `${id}: close→report ${report.closeToReportMs} ms, answers ${JSON.stringify(report.stats.answers)}`,
      );
      expect(report.trigger).toBe('close');
      expect(report.closeTime).toBe(new Date(close).toISOString());
      expect(report.symbolsScanned).toBe(SYMBOLS);
      expect(report.failures).toEqual([]);
      // The final klines come about 2 s after the close: the report is saved a moment later.
      expect(report.closeToReportMs).toBeGreaterThan(1_000);
      expect(report.closeToReportMs).toBeLessThan(OFFSET_SECONDS * 1000);
      // Started from the streams' data: (nearly) every 1m series came from the stream, not REST.
      expect(report.stats.answers.stream).toBeGreaterThanOrEqual(Math.floor(SYMBOLS * 0.9));
    }
  }, 200_000);

  it('leaves a close the streams did not bring to the Schedule, which scans it from REST', async () => {
    stack.sim.setFaults({ wsOutage: true });
    const deadline = Date.now() + 10_000;
    while (stack.sim.status().streams.connections > 0 && Date.now() < deadline) await sleep(100);
    expect(stack.sim.status().streams.connections).toBe(0);

    const close = nextClose();
    const id = scheduledCycleId(close + OFFSET_SECONDS * 1000);
    await sleep(close + OFFSET_SECONDS * 1000 + 1_000 - Date.now());
    const report = await stack.env.client.workflow.getHandle<typeof scanMarketWorkflow>(id).result();
    console.log(
      `${id}: close→report ${report.closeToReportMs} ms, answers ${JSON.stringify(report.stats.answers)}`,
    );
    expect(report.trigger).toBe('schedule');
    expect(report.closeTime).toBe(new Date(close).toISOString());
    expect(report.symbolsScanned).toBe(SYMBOLS);
    expect(report.failures).toEqual([]);
    expect(report.stats.answers.rest).toBeGreaterThanOrEqual(SYMBOLS);
    expect(report.closeToReportMs).toBeGreaterThanOrEqual(OFFSET_SECONDS * 1000);
    expect(Object.fromEntries(await runs(`WorkflowId = '${id}'`))).toEqual({ [id]: 1 });
    stack.sim.setFaults({ wsOutage: false });
  }, 120_000);
});
