/**
 * The bench's `ledger` part, in process: the write cost of recordCycle for a
 * realistic cycle, on both databases: 530 symbols requested, 60 ranked
 * signals (50 open ones seen again, 10 new), about 200 open signals, 10
 * outcomes; on an empty database and over 30 days of history at that rate
 * (8,640 cycles, 86,400 resolved signals, 30 days of the headline's rollup).
 * Median and p90 of 20 runs, ms. Between them, 20 runs of the same cycle
 * that also queue its alerts (four destinations asking for every event: the
 * 10 new signals and 10 outcomes make 80 alerts), as saveReport does when
 * alerts are configured: the difference of the medians is what handing the
 * alerts off adds to a cycle. The databases and fixtures are the contract
 * suite's (test/storage).
 */
import { performance } from 'node:perf_hooks';
import { alertPlanner } from '../src/alerts/plan-alerts.js';
import { connectLedger, type LedgerSettings } from '../src/storage/ledger/database.js';
import { openLedger } from '../src/storage/ledger/open-ledger.js';
import { toDbTime } from '../src/storage/ledger/rows.js';
import {
  postgresDatabases,
  sqliteDatabases,
  type LedgerDatabases,
} from '../test/storage/ledger-databases.js';
import { report, signal, STEP, target } from '../test/storage/ledger-fixtures.js';
import { testAlerts, webhookEntry } from '../test/helpers/alert-destinations.js';

const ALERTS = alertPlanner(
  testAlerts({
    destinations: ['a', 'b', 'c', 'd'].map((name) =>
      webhookEntry(name, { events: ['signal', 'outcome', 'cycle'] }),
    ),
  }).destinations,
  (cycleId) => `http://localhost:8233/namespaces/default/workflows/${cycleId}`,
);

const RUNS = 20;
const HISTORY_DAYS = 30;
const OPEN = 200;
const SIGNALS = 60;
const NEW_PER_CYCLE = 10;
const OUTCOMES = 10;
const NOW = Date.UTC(2026, 5, 1, 12, 0);

/**
 * `days` of cycles (a small report each: the size of old reports does not
 * change the cost of a new one) and resolved signals, ten a cycle, before
 * `now`. The dashboard's bench seeds its 90 days with it too.
 */
export async function seedHistory(settings: LedgerSettings, days = HISTORY_DAYS, now = NOW): Promise<void> {
  const { db } = await connectLedger(settings);
  const cycles = (days * 86_400_000) / STEP;
  const start = now - days * 86_400_000;
  for (let c = 0; c < cycles; c += 500) {
    await db.transaction().execute(async (trx) => {
      const ids = Array.from({ length: Math.min(500, cycles - c) }, (_, i) => c + i);
      await trx
        .insertInto('cycles')
        .values(
          ids.map((i) => ({
            cycle_id: `history-${i}`,
            trigger: 'schedule',
            status: 'completed',
            started_at: toDbTime(start + i * STEP),
            finished_at: toDbTime(start + i * STEP + 4_000),
            duration_ms: 4_000,
            symbols_requested: 530,
            symbols_scanned: 527,
            symbols_failed: 3,
            signal_count: 60,
            close_time: toDbTime(start + i * STEP),
            close_to_report_ms: 3_000,
            report: '{}',
            recorded_at: toDbTime(start + i * STEP + 4_000),
          })),
        )
        .execute();
      const rows = ids.flatMap((i) =>
        Array.from({ length: OUTCOMES }, (_, k) => ({
          symbol: `H${k}/USDT:USDT`,
          direction: 'LONG' as const,
          timeframe: '5m',
          first_cycle_id: `history-${i}`,
          last_cycle_id: `history-${i}`,
          first_candle_time: toDbTime(start + (i - 1) * STEP),
          entry: 100,
          stop: 98.5,
          target: 103,
          risk: 1.5,
          first_score: 60,
          best_score: 60,
          timeframes: '["1h","15m","5m"]',
          reasons: '["history"]',
          first_seen_at: toDbTime(start + i * STEP),
          last_seen_at: toDbTime(start + i * STEP),
          times_seen: 1,
          outcome: k % 2 ? ('target' as const) : ('stop' as const),
          outcome_at: toDbTime(start + i * STEP + 3 * STEP),
          outcome_price: k % 2 ? 103 : 98.5,
          r_multiple: k % 2 ? 2 : -1,
          mfe_r: 1,
          mae_r: 0.5,
          candles_to_outcome: 3,
          outcome_reason: 'history',
        })),
      );
      for (let r = 0; r < rows.length; r += 500)
        await trx
          .insertInto('signals')
          .values(rows.slice(r, r + 500))
          .execute();
    });
  }
  await db
    .insertInto('outcome_days')
    .values(
      Array.from({ length: days }, (_, d) => ({
        day: toDbTime(start + d * 86_400_000).slice(0, 10),
        targets: 1_440,
        stops: 1_440,
        expired: 0,
        missing: 0,
        r_sum: 1_440,
        r_count: 2_880,
      })),
    )
    .execute();
  await db.destroy();
}

export interface WriteCost {
  database: 'SQLite' | 'PostgreSQL';
  history: 'empty' | '30 days';
  medianMs: number;
  p90Ms: number;
  minMs: number;
  runs: number;
  /** The same cycles queuing their alerts (80 each), median ms; and the difference: the handoff's cost. */
  withAlertsMedianMs: number;
  alertHandoffMs: number;
}

async function measure(
  name: WriteCost['database'],
  databases: LedgerDatabases,
  withHistory: boolean,
): Promise<WriteCost | undefined> {
  if (databases.unavailable) return undefined;
  const settings = await databases.fresh();
  const ledger = await openLedger(settings);
  if (withHistory) await seedHistory(settings);
  let serial = 0;
  const symbol = () => `X${serial++}/USDT:USDT`;
  // About 200 open signals.
  let cycle = 0;
  const next = () => NOW + ++cycle * STEP;
  const opening = Array.from({ length: OPEN }, () => signal(symbol()));
  await ledger.recordCycle({ report: report(`warm-${cycle}`, next(), opening), outcomes: [], now: NOW });
  const times: number[] = [];
  const withAlerts: number[] = [];
  for (let run = 0; run < 2 * RUNS; run++) {
    const alerting = run % 2 === 1;
    const open = await ledger.openSignals();
    // 50 of the open ones seen again, 10 new; 10 others (not seen this cycle) resolved.
    const again = open.slice(0, SIGNALS - NEW_PER_CYCLE);
    const resolved = open.slice(open.length - OUTCOMES);
    const startedAt = next();
    const cycleReport = report(`run-${run}`, startedAt, [
      ...again.map((s) => signal(s.symbol, s.direction, 70)),
      ...Array.from({ length: NEW_PER_CYCLE }, () => signal(symbol())),
    ]);
    const outcomes = resolved.map((s) => ({ signalId: s.id, outcome: target(startedAt) }));
    const began = performance.now();
    const result = await ledger.recordCycle({
      report: cycleReport,
      outcomes,
      now: startedAt + 5_000,
      ...(alerting ? { alerts: ALERTS } : {}),
    });
    (alerting ? withAlerts : times).push(performance.now() - began);
    if (alerting && result.alertDestinations.length !== 4) throw new Error('the alerts were not queued');
    if (!result.recorded || result.outcomesApplied !== OUTCOMES || result.newSignals.length !== NEW_PER_CYCLE)
      throw new Error(
        `unexpected result ${JSON.stringify({ ...result, newSignals: result.newSignals.length })}`,
      );
  }
  await ledger.close();
  const sorted = [...times].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const median = (values: number[]) => {
    const v = [...values].sort((a, b) => a - b);
    return (v[RUNS / 2 - 1]! + v[RUNS / 2]!) / 2;
  };
  return {
    withAlertsMedianMs: round(median(withAlerts)),
    alertHandoffMs: round(median(withAlerts) - median(times)),
    database: name,
    history: withHistory ? '30 days' : 'empty',
    medianMs: round((sorted[RUNS / 2 - 1]! + sorted[RUNS / 2]!) / 2),
    p90Ms: round(sorted[Math.ceil(RUNS * 0.9) - 1]!),
    minMs: round(sorted[0]!),
    runs: RUNS,
  };
}

/** recordCycle's cost on SQLite and (where it answers on 127.0.0.1:5432) PostgreSQL, empty and with history. */
export async function measureWriteCosts(say: (line: string) => void): Promise<WriteCost[]> {
  const sqlite = sqliteDatabases();
  const postgres = await postgresDatabases();
  if (postgres.unavailable) say(`ledger: PostgreSQL skipped (${postgres.unavailable})`);
  const costs: WriteCost[] = [];
  try {
    for (const withHistory of [false, true])
      for (const [name, databases] of [
        ['SQLite', sqlite],
        ['PostgreSQL', postgres],
      ] as const) {
        const cost = await measure(name, databases, withHistory);
        if (cost) {
          say(
            `ledger write, ${name}, ${cost.history}: median ${cost.medianMs} ms, p90 ${cost.p90Ms} ms; with 80 alerts queued ${cost.withAlertsMedianMs} ms (handoff +${cost.alertHandoffMs} ms)`,
          );
          costs.push(cost);
        }
      }
  } finally {
    await sqlite.dropAll();
    await postgres.dropAll();
  }
  return costs;
}
