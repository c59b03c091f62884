import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/contract/types.js';
import type { LedgerSignal } from '../../src/storage/ledger/ledger.js';
import { adhocCycleOptions } from '../../src/client/commands.js';
import { scanMarketWorkflow } from '../../src/workflows/index.js';
import { withLedger } from '../helpers/ledger.js';
import { runScript } from '../helpers/run-node.js';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * The ledger checked from outside. Whole-universe cycles run back to back on
 * the simulator's accelerated clock (two simulated minutes per real second)
 * across hours of exchange time; then every resolved signal's outcome is
 * recomputed from the simulator's own 5m klines, fetched over HTTP (not
 * through the product's store), by the reference below, written apart from
 * src/analysis/outcomes.ts: the same outcome, the same candle, the same R.
 */
const SPEED = 120;
const STEP = 300_000;
const EXPIRY = 12; // an hour of 5m candles, so that expiries happen within the run
const HOURS = 3;
const START = Date.UTC(2026, 10, 30, 6, 0, 0);

type Kline = [number, number, number, number, number];

/** What following the signal on these candles gives: first touch, stop first in a shared candle, gaps at the open. */
function reference(signal: LedgerSignal, klines: readonly Kline[]) {
  const long = signal.direction === 'LONG';
  const r = (price: number) =>
    ((long ? 1 : -1) * (price - signal.entry)) / Math.abs(signal.entry - signal.stop);
  let followed = 0;
  for (const [time, open, high, low, close] of klines) {
    if (time <= signal.candleTime) continue;
    followed++;
    const exit = (kind: string, price: number) => ({
      kind,
      at: time + STEP,
      rMultiple: r(price),
      candles: followed,
    });
    if (long ? open <= signal.stop : open >= signal.stop) return exit('stop', open);
    if (long ? open >= signal.target : open <= signal.target) return exit('target', open);
    if (long ? low <= signal.stop : high >= signal.stop) return exit('stop', signal.stop);
    if (long ? high >= signal.target : low <= signal.target) return exit('target', signal.target);
    if (followed === EXPIRY) return exit('expired', close);
  }
  return undefined;
}

describe('the signal ledger over hours of exchange time', () => {
  let stack: Stack;
  const reports: CycleReport[] = [];
  let simNowAtEnd = 0;

  const klines = async (symbol: string, from: number): Promise<Kline[]> => {
    const id = symbol.replace('/USDT:USDT', 'USDT');
    const response = await fetch(
      `${stack.sim.url}/fapi/v1/klines?symbol=${id}&interval=5m&startTime=${from}&limit=${EXPIRY + 2}`,
    );
    expect(response.status).toBe(200);
    const rows = (await response.json()) as Array<Array<string | number>>;
    return rows.map((k) => [Number(k[0]), Number(k[1]), Number(k[2]), Number(k[3]), Number(k[4])]);
  };

  beforeAll(
    async () => {
      stack = await startStack({
        sim: { symbols: 60, speed: SPEED, latencyMs: 5, startTime: START },
        env: {
          STREAMS: 'on',
          // Only the cycles this test starts, so that it can count what each one recorded.
          CLOSE_TRIGGER: 'off',
          EXCHANGE_CLOCK_CHECK_MS: '100',
          SIGNAL_EXPIRY_CANDLES: String(EXPIRY),
          SCAN_BATCH_SIZE: '30',
        },
      });
      const end = START + HOURS * 3_600_000;
      for (let n = 0; stack.sim.clock.now() < end; n++)
        reports.push(
          await stack.env.client.workflow.execute(
            scanMarketWorkflow,
            adhocCycleOptions(stack.config.TEMPORAL_TASK_QUEUE, `scan-adhoc-ledger-${START}-${n}`, {}),
          ),
        );
      simNowAtEnd = stack.sim.clock.now();
    },
    (HOURS * 3_600_000) / SPEED + 120_000,
  );
  afterAll(async () => {
    await stack?.stop();
  });

  it('recorded every cycle once, each signal once per identity, every sighting', async () => {
    await withLedger(async (ledger) => {
      const cycles = await ledger.recentCycles(100_000);
      expect(cycles).toHaveLength(reports.length);
      const signals = await ledger.signals();
      const sightings = reports.reduce(
        (n, r) => n + new Set(r.signals.map((s) => `${s.symbol} ${s.direction}`)).size,
        0,
      );
      expect(signals.reduce((n, s) => n + s.timesSeen, 0)).toBe(sightings);
      const open = signals.filter((s) => s.outcome === null);
      expect(new Set(open.map((s) => `${s.symbol} ${s.direction}`)).size).toBe(open.length);
      expect(reports.at(-1)!.ledger?.openSignals).toBe(open.length);
      console.log(
        `${reports.length} cycles over ${((simNowAtEnd - START) / 3_600_000).toFixed(1)} h of exchange time: ${signals.length} signals, ${sightings} sightings, ${open.length} open`,
      );
    });
  });

  it("finds every resolved signal's outcome, time and R again from the simulator's own candles", async () => {
    const resolved = await withLedger((ledger) => ledger.signals({ open: false }));
    const kinds: Record<string, number> = {};
    for (const signal of resolved) {
      const expected = reference(signal, await klines(signal.symbol, signal.candleTime));
      expect(expected, `signal ${signal.id} ${signal.symbol}`).toBeDefined();
      expect(signal.outcome, `signal ${signal.id} ${signal.symbol}`).toMatchObject({
        kind: expected!.kind,
        at: expected!.at,
        candles: expected!.candles,
      });
      expect(signal.outcome!.rMultiple).toBeCloseTo(expected!.rMultiple, 9);
      kinds[signal.outcome!.kind] = (kinds[signal.outcome!.kind] ?? 0) + 1;
    }
    console.log(`resolved ${resolved.length}, all recomputed alike: ${JSON.stringify(kinds)}`);
    expect(resolved.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(kinds)).toEqual(expect.arrayContaining(['target', 'stop', 'expired']));
  });

  it('leaves open only signals whose outcome the candles did not decide by the last cycle', async () => {
    const open = await withLedger((ledger) => ledger.openSignals());
    // The last cycle followed the candles closed by its start; allow the one closing meanwhile.
    const decidedBy = simNowAtEnd - 2 * STEP;
    for (const signal of open) {
      const expected = reference(signal, await klines(signal.symbol, signal.candleTime));
      if (expected)
        expect(expected.at, `signal ${signal.id} ${signal.symbol} left open`).toBeGreaterThan(decidedBy);
    }
  });

  it('client performance scores the run, the same figures as the ledger holds', async () => {
    const resolved = await withLedger((ledger) => ledger.signals({ open: false }));
    for (const by of ['direction', 'score']) {
      const text = await runScript('src/client.ts', ['performance', '--by', by], {});
      expect(text.code, text.stderr).toBe(0);
      console.log(text.stdout);
    }
    const json = await runScript('src/client.ts', ['performance', '--json'], {});
    const figures = JSON.parse(json.stdout) as { total: { resolved: number } };
    expect(figures.total.resolved).toBe(resolved.length);
  });
});
