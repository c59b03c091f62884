import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULE_ID } from '../../src/contract/ids.js';
import type { CycleReport } from '../../src/contract/types.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { startStack, type Stack } from '../helpers/stack.js';

const TSX = `${PROJECT_ROOT}/node_modules/.bin/tsx`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The client CLI as a user runs it, against the real stack. */
describe('npm run client', () => {
  let stack: Stack;
  let env: NodeJS.ProcessEnv;
  const client = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn(TSX, ['src/client.ts', ...args], {
        cwd: PROJECT_ROOT,
        env: { ...env, ...extraEnv },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });

  beforeAll(async () => {
    stack = await startStack({
      sim: { symbols: 30 },
      env: { SCAN_INCLUDE: 'BTCUSDT,ETHUSDT,SOLUSDT,XRPUSDT,BNBUSDT', SCAN_BATCH_SIZE: '2' },
    });
    env = {
      ...process.env,
      TEMPORAL_ADDRESS: stack.env.address,
      TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
      SCAN_INCLUDE: stack.config.SCAN_INCLUDE.join(','),
      SCAN_BATCH_SIZE: '2',
    };
  });
  afterAll(async () => {
    await stack?.stop();
  });

  let scanned: CycleReport;
  const cycleIds = async () => {
    const ids: string[] = [];
    for await (const wf of stack.env.client.workflow.list({ query: `WorkflowType = 'scanMarketWorkflow'` }))
      ids.push(wf.workflowId);
    return ids.sort();
  };

  it('scan --json prints only the report', async () => {
    const run = await client(['scan', '--json', '--symbols', 'BTCUSDT,ETH/USDT:USDT,NOPEUSDT']);
    expect(run.code, run.stderr).toBe(0);
    scanned = JSON.parse(run.stdout) as CycleReport;
    expect(scanned.cycleId).toMatch(/^scan-adhoc-/);
    expect(scanned.trigger).toBe('adhoc');
    expect(scanned.symbolsScanned).toBe(2);
    expect(scanned.failures).toEqual([
      { symbol: 'NOPEUSDT', reason: expect.stringMatching(/UnknownSymbolError/) as string },
    ]);
    expect(scanned.stats.answers.rest).toBe(6);
  });

  it('scan prints a summary and a signal table; --detach only the id', async () => {
    const run = await client(['scan', '--symbols', 'SOLUSDT']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/scanned 1\/1 symbols on 1h, 15m, 5m/);
    expect(run.stdout).toMatch(/http:\/\/localhost:8233\/namespaces\/default\/workflows\/scan-adhoc-/);
    const detached = await client(['scan', '--detach', '--symbols', 'XRPUSDT']);
    expect(detached.code).toBe(0);
    expect(detached.stdout.trim()).toMatch(/^scan-adhoc-[\w-]+$/);
    const status = await client(['status', detached.stdout.trim(), '--wait']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/scanned 1\/1 symbols/);
  });

  it('report latest and report <id> give the saved report', async () => {
    const byId = await client(['report', scanned.cycleId, '--json']);
    expect(JSON.parse(byId.stdout)).toEqual(scanned);
    const latest = await client(['report', 'latest']);
    expect(latest.code).toBe(0);
    expect(latest.stdout).toMatch(/^cycle scan-adhoc-/);
  });

  it('signals and performance read what the cycles recorded', async () => {
    const run = await client(['signals', '--json', '--since', '1h']);
    expect(run.code, run.stderr).toBe(0);
    const listed = JSON.parse(run.stdout) as Array<{
      symbol: string;
      direction: string;
      lastCycleId: string;
    }>;
    for (const signal of scanned.signals)
      expect(listed).toContainEqual(
        expect.objectContaining({
          symbol: signal.symbol,
          direction: signal.direction,
          firstCycleId: scanned.cycleId,
        }),
      );
    const bySymbol = await client(['signals', '--symbol', 'ETHUSDT', '--json']);
    const eth = JSON.parse(bySymbol.stdout) as Array<{ symbol: string }>;
    expect(eth).toHaveLength(listed.filter((s) => s.symbol === 'ETH/USDT:USDT').length);
    for (const signal of eth) expect(signal.symbol).toBe('ETH/USDT:USDT');
    const figures = await client(['performance', '--json', '--by', 'score']);
    expect(figures.code, figures.stderr).toBe(0);
    const parsed = JSON.parse(figures.stdout) as { total: { signals: number }; by: string };
    expect(parsed).toMatchObject({ by: 'score', total: { signals: listed.length } });
    const text = await client(['performance']);
    expect(text.stdout).toMatch(/hit rate/);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toMatch(/^all\s+\d+/);
  });

  it('cycles lists the recorded cycles from the ledger', async () => {
    const run = await client(['cycles']);
    expect(run.code, run.stderr).toBe(0);
    const row = run.stdout.split('\n').find((line) => line.includes(scanned.cycleId));
    // cycle, status, trigger, started, took, scanned, signals, failures, close→report (an ad-hoc scan
    // serves the latest close, however long ago it was).
    expect(row?.trim().split(/\s+/)).toEqual([
      scanned.cycleId,
      'completed',
      'adhoc',
      expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      expect.stringMatching(/^\d+\.\d$/),
      's',
      String(scanned.symbolsScanned),
      String(scanned.signals.length),
      String(scanned.failures.length),
      expect.stringMatching(/^\d+\.\d$/),
      's',
    ]);
  });

  it('schedule create is idempotent, describe shows it, trigger starts a scheduled cycle', async () => {
    expect((await client(['schedule', 'create'])).stdout).toMatch(/created|updated/);
    expect((await client(['schedule', 'create'])).stdout).toMatch(/updated/);
    const described = await client(['schedule', 'describe']);
    expect(described.stdout).toMatch(/active/);
    // Every 5 minutes, 5 s past the minute: just after the 5m candle closed.
    const next = /next: (.*)/
      .exec(described.stdout)![1]!
      .split(', ')
      .map((t) => new Date(t));
    expect(next).toHaveLength(3);
    for (const t of next) expect([t.getUTCMinutes() % 5, t.getUTCSeconds()]).toEqual([0, 5]);
    expect((await client(['schedule', 'pause'])).stdout).toMatch(/paused/);
    expect((await client(['schedule', 'describe'])).stdout).toMatch(/PAUSED/);
    expect((await client(['schedule', 'unpause'])).code).toBe(0);
    const description = await stack.env.client.schedule.getHandle(SCHEDULE_ID).describe();
    expect(description.policies.overlap).toBe('SKIP');
    expect((await client(['schedule', 'trigger'])).code).toBe(0);
    let scheduled: string | undefined;
    for (let i = 0; i < 100 && !scheduled; i++) {
      for await (const wf of stack.env.client.workflow.list({
        query: `WorkflowType = 'scanMarketWorkflow'`,
      })) {
        if (/^scan-\d{4}-/.test(wf.workflowId)) scheduled = wf.workflowId;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(scheduled).toBeDefined();
    const report = (await stack.env.client.workflow.getHandle(scheduled!).result()) as CycleReport;
    expect(report.trigger).toBe('schedule');
    expect(report.symbolsScanned).toBe(5);
    expect(report.batches).toBe(3);
    expect((await client(['schedule', 'delete'])).code).toBe(0);
    const gone = await client(['schedule', 'describe']);
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim()).toBe(
      'client: the market-scan Schedule does not exist (client schedule create)',
    );
  });

  it.each([
    [['scan', '--batch-size', '0'], 2, /--batch-size.*whole number from 1 to 1000/],
    [['scan', '--timeframes', '7m'], 2, /unsupported timeframe/],
    [['frobnicate'], 2, /unknown command 'frobnicate'/],
    [['status', 'scan-adhoc-nope'], 1, /no cycle scan-adhoc-nope/],
    [['report', 'scan-adhoc-nope'], 1, /no report for scan-adhoc-nope/],
    [['schedule', 'explode'], 1, /unknown schedule action "explode"/],
    [['signals', '--since', 'yesterday'], 2, /--since.*a positive whole number and a unit: s, m, h, d or w/],
    [['performance', '--since', '0d'], 2, /--since.*a positive whole number and a unit/],
    [['performance', '--by', 'week'], 2, /--by.*one of direction, score, agreement, day/],
  ])('%j: one-line error, exit %i', async (args, code, message) => {
    const run = await client(args);
    expect(run.code).toBe(code);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });

  it('refuses symbols the exchange does not list before starting anything, where it knows the exchange', async () => {
    const before = await cycleIds();
    const run = await client(['scan', '--symbols', 'BTCUSDT,NOPEUSDT,FOO/USDT:USDT'], {
      EXCHANGE_URL: stack.sim.url,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      'client: not active USDT perpetuals on the exchange: NOPEUSDT, FOO/USDT:USDT (nothing started)',
    );
    expect(await cycleIds()).toEqual(before);
  });

  it('says which Temporal or ledger it cannot reach, and which setting is malformed', async () => {
    const temporal = await client(['status', 'scan-adhoc-x'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(temporal.code).toBe(1);
    expect(temporal.stderr.trim()).toMatch(/^client: cannot reach Temporal at 127\.0\.0\.1:1/);
    const ledger = await client(['report', 'latest'], {
      DATABASE_URL: 'postgres://scanner:s3cret@127.0.0.1:1/scanner',
    });
    expect(ledger.code).toBe(1);
    expect(ledger.stderr.trim()).toBe(
      'client: ledger PostgreSQL at postgres://scanner:***@127.0.0.1:1/scanner unreachable: connect ECONNREFUSED 127.0.0.1:1',
    );
    const badDatabase = await client(['signals'], { DATABASE_URL: 'mysql://x' });
    expect(badDatabase.code).toBe(1);
    expect(badDatabase.stderr.trim()).toBe(
      'client: DATABASE_URL: must be a postgres:// or postgresql:// URL with a host',
    );
    const badUrl = await client(['cycles'], { REDIS_URL: 'http://nope' });
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr.trim()).toBe('client: REDIS_URL: must be a redis:// or rediss:// URL with a host');
  });

  it('indicators --json prints the candles the analysis used and every indicator, aligned with them', async () => {
    // After the scans above, from the candle store: the candles a cycle analysed.
    const run = await client(['indicators', '--symbol', 'BTCUSDT', '--timeframe', '1h', '--json'], {
      EXCHANGE_URL: stack.sim.url,
    });
    expect(run.code, run.stderr).toBe(0);
    const dump = JSON.parse(run.stdout) as {
      symbol: string;
      timeframe: string;
      candles: number[][];
      indicators: Record<string, Array<number | null>>;
    };
    expect(dump.symbol).toBe('BTC/USDT:USDT');
    expect(dump.timeframe).toBe('1h');
    expect(dump.candles).toHaveLength(98);
    expect(dump.candles[1]![0]! - dump.candles[0]![0]!).toBe(3_600_000); // oldest first
    expect(Object.keys(dump.indicators)).toEqual(
      expect.arrayContaining(['ema9', 'ema21', 'ema50', 'rsi14', 'macd', 'macdSignal', 'macdHist', 'atr14']),
    );
    expect(Object.keys(dump.indicators)).toEqual(
      expect.arrayContaining(['adx14', 'plusDi14', 'minusDi14', 'bbUpper', 'bbMiddle', 'bbLower', 'volumeZ']),
    );
    for (const [name, values] of Object.entries(dump.indicators)) {
      expect(values, name).toHaveLength(98);
      expect(values[0], name).toBeNull();
      expect(values[97], name).toEqual(expect.any(Number));
    }
    const unknown = await client(['indicators', '--symbol', 'NOPEUSDT', '--timeframe', '1h'], {
      EXCHANGE_URL: stack.sim.url,
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toMatch(/^client: NOPEUSDT: not an active USDT perpetual/);
  });
});
