import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OwnedProcess } from '../../src/launcher/child-process.js';
import type { CycleReport } from '../../src/contract/types.js';
import type { Simulator } from '../../src/simulator/server.js';
import { openLedger } from '../../src/storage/ledger/open-ledger.js';
import type { LedgerSettings } from '../../src/storage/ledger/database.js';
import { startTestSimulator } from '../helpers/simulator.js';
import { freshTaskQueue } from '../helpers/temporal-env.js';
import { postgresDatabases, type LedgerDatabases } from '../storage/ledger-databases.js';
import {
  chaosDir,
  logLines,
  newCycle,
  RedisProcess,
  resultOf,
  sigkill,
  startWorkerProcess,
  TemporalProcess,
} from './harness.js';

/**
 * A worker SIGKILLed in the middle of recording a cycle that resolves open
 * signals, on PostgreSQL: the test holds a lock on signal_sightings, so the
 * worker's transaction has written the cycle row and applied the outcomes
 * (to the signals and the day figures) and waits at the sightings when it
 * is killed. PostgreSQL rolls the dead connection's transaction back; the
 * cycle's workflow task times out, a second worker replays it and runs
 * saveReport again: the cycle is recorded once, each outcome counted once.
 */
describe('a worker killed mid-resolution', () => {
  let temporal: TemporalProcess;
  let redis: RedisProcess;
  let sim: Simulator;
  let databases: LedgerDatabases;
  let ledgerSettings: LedgerSettings;
  let admin: pg.Client;
  const workers: OwnedProcess[] = [];
  const taskQueue = freshTaskQueue('ledger-kill');

  const worker = async () => {
    const w = await startWorkerProcess({
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      REDIS_URL: redis.url,
      EXCHANGE_URL: sim.url,
      DATABASE_URL: ledgerSettings.databaseUrl,
      STREAMS: 'on',
      CLOSE_TRIGGER: 'off',
      EXCHANGE_CLOCK_CHECK_MS: '100',
      SIGNAL_EXPIRY_CANDLES: '12',
    });
    workers.push(w);
    return w;
  };
  /** The log line saveReport writes before its transaction, for one cycle. */
  const recording = (w: OwnedProcess, cycleId: string) =>
    logLines(w, /^recording the cycle in the ledger$/).find((line) => line.cycleId === cycleId) as
      { signals: number; outcomes: number } | undefined;

  beforeAll(async () => {
    databases = await postgresDatabases();
    if (databases.unavailable) throw new Error(databases.unavailable);
    ledgerSettings = await databases.fresh();
    admin = new pg.Client({ connectionString: ledgerSettings.databaseUrl });
    await admin.connect();
    temporal = await TemporalProcess.start(chaosDir('temporal-ledger'));
    redis = await RedisProcess.start();
    // Two simulated minutes per real second: signals reach their outcomes within a minute or two.
    sim = await startTestSimulator({ symbols: 60, speed: 120, latencyMs: 5 });
  }, 180_000);
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await admin?.end();
    await databases?.dropAll();
    await sim?.close();
    await redis?.stop();
    await temporal?.stop();
  });

  it('records the cycle once and counts each outcome once', async () => {
    let current = await worker();
    let killed: { cycleId: string; outcomes: number } | undefined;
    for (let n = 0; !killed && n < 200; n++) {
      await admin.query('begin');
      await admin.query('lock table signal_sightings in exclusive mode');
      const { cycleId } = newCycle(temporal, taskQueue);
      let line: { signals: number; outcomes: number } | undefined;
      while (!(line = recording(current, cycleId))) await new Promise((r) => setTimeout(r, 20));
      if (line.outcomes > 0 && line.signals > 0) {
        // Its transaction is inside now, waiting on our lock: wait until PostgreSQL says so.
        for (;;) {
          const waiting = await admin.query(
            "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()",
          );
          if ((waiting.rows[0] as { n: number }).n > 0) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        await sigkill(current);
        killed = { cycleId, outcomes: line.outcomes };
      }
      await admin.query('commit');
      if (killed) current = await worker();
      const report: CycleReport = await resultOf(temporal, cycleId, 120_000);
      expect(report.cycleId).toBe(cycleId);
    }
    expect(killed, 'no cycle resolved a signal within 200 cycles').toBeDefined();
    console.log(`killed mid-write of ${killed!.cycleId}, which resolved ${killed!.outcomes} signals`);

    // The second worker ran it again (its own log line), and the ledger holds it once. Its outcomes
    // are followed afresh at its own moment: on this clock (×120) more may have resolved by then.
    expect(recording(current, killed!.cycleId)?.outcomes).toBeGreaterThanOrEqual(killed!.outcomes);
    const ledger = await openLedger(ledgerSettings);
    try {
      const cycles = await ledger.recentCycles(10_000);
      expect(cycles.filter((c) => c.cycleId === killed!.cycleId)).toHaveLength(1);
      const signals = await ledger.signals();
      const resolved = signals.filter((s) => s.outcome !== null);
      // Each outcome counted once: the day figures add up to the resolved signals, kind by kind.
      const days = await admin.query(
        'select sum(targets)::int t, sum(stops)::int s, sum(expired)::int e, sum(missing)::int m from outcome_days',
      );
      const kinds = (kind: string) => resolved.filter((s) => s.outcome!.kind === kind).length;
      expect(days.rows[0]).toEqual({
        t: kinds('target'),
        s: kinds('stop'),
        e: kinds('expired'),
        m: kinds('missing'),
      });
      const sightings = await admin.query('select count(*)::int n from signal_sightings');
      expect(signals.reduce((n, s) => n + s.timesSeen, 0)).toBe((sightings.rows[0] as { n: number }).n);
      const killedSightings = await admin.query(
        'select count(*)::int n from signal_sightings where cycle_id = $1',
        [killed!.cycleId],
      );
      expect((killedSightings.rows[0] as { n: number }).n).toBeGreaterThan(0);
    } finally {
      await ledger.close();
    }
  }, 600_000);
});
