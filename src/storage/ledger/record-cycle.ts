/**
 * @module
 * A cycle's writes, all inside the caller's transaction, in this order:
 *
 * 1. The cycle row, ON CONFLICT DO NOTHING: if it was there already, the
 *    call is a retry or a replay and writes nothing else.
 * 2. The outcomes, each to its signal only while it is still open
 *    (`WHERE outcome IS NULL`): on PostgreSQL in one statement, on SQLite
 *    (in process, no round trips) one by one. They come before the signals: an outcome
 *    happened by this cycle's close, so a signal this cycle sees again
 *    after its outcome is a new one.
 * 3. The ranked signals, by identity, in one upsert against the partial
 *    unique index on open (symbol, direction): an open signal seen again gets
 *    its last sighting (the later of the two), its best score and one more
 *    sighting; otherwise a new signal is inserted with this report's levels.
 *    The index, not a read before the write, decides: whoever else writes,
 *    at most one open signal per (symbol, direction) exists. (The ledger's
 *    own writers also queue, writer-lock.ts, so they never deadlock.)
 * 4. One sighting per (cycle, signal), ON CONFLICT DO NOTHING.
 * 5. The alerts of what steps 2 and 3 wrote (the caller's planner decides
 *    which, alerts/plan-alerts.ts), into the outbox, ON CONFLICT (key) DO
 *    NOTHING: the cycle and its alerts commit together, or neither does.
 *
 * The applied outcomes are added to their days' figures (headline.ts) with
 * step 2; the headline as it stands after the writes is stored in the
 * cycle's report and answered.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { PlannedAlert } from '../../alerts/plan-alerts.js';
import type { Signal } from '../../analysis/signal.js';
import type { CycleReport } from '../../contract/types.js';
import { largestFirst } from '../../core/timeframes.js';
import { addToOutcomeDays, headlineOf } from './headline.js';
import type {
  LedgerSignal,
  NewSignal,
  OutcomeRecord,
  RecordCycleInput,
  RecordCycleResult,
} from './ledger.js';
import {
  alertRow,
  cycleRow,
  ledgerSignalOf,
  newSignalOf,
  outcomeColumns,
  signalRow,
  toCount,
} from './rows.js';
import type { LedgerDatabase, LedgerDialectName } from './schema.js';

/** Rows per INSERT: well under SQLite's 32766 bound parameters and PostgreSQL's 65535. */
const CHUNK = 200;

const identity = (s: { symbol: string; direction: string }) => `${s.symbol}\u0000${s.direction}`;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** The ranked signals once per identity (the best ranked wins), in report order. */
function distinctSignals(signals: readonly Signal[]): Signal[] {
  const seen = new Set<string>();
  return signals.filter((s) => {
    const key = identity(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function recordCycleIn(
  trx: Transaction<LedgerDatabase>,
  dialect: LedgerDialectName,
  { report, outcomes, now, alerts }: RecordCycleInput,
): Promise<RecordCycleResult> {
  const inserted = await trx
    .insertInto('cycles')
    .values(cycleRow(report, now))
    .onConflict((oc) => oc.column('cycle_id').doNothing())
    .returning('cycle_id')
    .executeTakeFirst();
  const signals = distinctSignals(report.signals);
  if (!inserted) {
    return {
      recorded: false,
      newSignals: await signalsFirstSeenIn(trx, report.cycleId, signals),
      outcomesApplied: 0,
      headline: await headlineOf(trx, now),
      alertDestinations: await pendingDestinationsOf(trx, report.cycleId),
    };
  }

  const appliedIds = await applyOutcomes(trx, dialect, outcomes);

  const trigger = largestFirst(report.timeframes).at(-1);
  const seenAt = Date.parse(report.startedAt);
  const ids = new Map<string, { id: number; isNew: boolean }>();
  if (signals.length > 0) {
    if (!trigger) throw new RangeError(`cycle ${report.cycleId} has signals but no timeframes`);
    const rows = [...signals]
      .sort((a, b) => (identity(a) < identity(b) ? -1 : identity(a) > identity(b) ? 1 : 0))
      .map((s) => signalRow(s, report.cycleId, trigger, seenAt));
    for (const chunk of chunks(rows)) {
      const upserted = await trx
        .insertInto('signals')
        .values(chunk)
        .onConflict((oc) =>
          oc
            .columns(['symbol', 'direction'])
            .where('outcome', 'is', null)
            .doUpdateSet((eb) => {
              const later = eb('excluded.last_seen_at', '>=', eb.ref('signals.last_seen_at'));
              return {
                last_seen_at: eb
                  .case()
                  .when(later)
                  .then(eb.ref('excluded.last_seen_at'))
                  .else(eb.ref('signals.last_seen_at'))
                  .end(),
                last_cycle_id: eb
                  .case()
                  .when(later)
                  .then(eb.ref('excluded.last_cycle_id'))
                  .else(eb.ref('signals.last_cycle_id'))
                  .end(),
                best_score: eb
                  .case()
                  .when('excluded.best_score', '>', eb.ref('signals.best_score'))
                  .then(eb.ref('excluded.best_score'))
                  .else(eb.ref('signals.best_score'))
                  .end(),
                times_seen: eb('signals.times_seen', '+', 1),
              };
            }),
        )
        .returning(['id', 'symbol', 'direction', 'first_cycle_id'])
        .execute();
      // A row is new when this cycle is its first: an update keeps an earlier first_cycle_id.
      for (const row of upserted)
        ids.set(identity(row), { id: row.id, isNew: row.first_cycle_id === report.cycleId });
    }
    const sightings = signals.map((s) => ({
      cycle_id: report.cycleId,
      signal_id: ids.get(identity(s))!.id,
      score: s.score,
    }));
    for (const chunk of chunks(sightings))
      await trx
        .insertInto('signal_sightings')
        .values(chunk)
        .onConflict((oc) => oc.columns(['cycle_id', 'signal_id']).doNothing())
        .execute();
  }

  const newSignals: NewSignal[] = signals
    .filter((s) => ids.get(identity(s))?.isNew)
    .map((s) => ({ ...s, id: ids.get(identity(s))!.id }));
  // The stored report carries the headline as this cycle left it, like the report the workflow returns.
  const headline = await headlineOf(trx, now);
  await trx
    .updateTable('cycles')
    .set({ report: JSON.stringify({ ...report, ledger: headline } satisfies CycleReport) })
    .where('cycle_id', '=', report.cycleId)
    .execute();
  const alertDestinations = alerts
    ? await queueAlerts(
        trx,
        alerts({ report, newSignals, resolved: await signalsById(trx, appliedIds) }),
        now,
      )
    : [];
  return { recorded: true, newSignals, outcomesApplied: appliedIds.length, headline, alertDestinations };
}

async function signalsById(db: Kysely<LedgerDatabase>, ids: readonly number[]): Promise<LedgerSignal[]> {
  if (ids.length === 0) return [];
  const rows: LedgerSignal[] = [];
  for (const chunk of chunks(ids))
    rows.push(
      ...(await db.selectFrom('signals').selectAll().where('id', 'in', chunk).execute()).map(ledgerSignalOf),
    );
  return rows.sort((a, b) => a.id - b.id);
}

/** Inserts the planned alerts (a key already queued is skipped); answers the destinations that got any. */
async function queueAlerts(
  trx: Transaction<LedgerDatabase>,
  planned: readonly PlannedAlert[],
  now: number,
): Promise<string[]> {
  for (const chunk of chunks(planned.map((a) => alertRow(a, now))))
    await trx
      .insertInto('alerts')
      .values(chunk)
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  return [...new Set(planned.map((a) => a.destination))];
}

async function pendingDestinationsOf(db: Kysely<LedgerDatabase>, cycleId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('alerts')
    .select('destination')
    .distinct()
    .where('cycle_id', '=', cycleId)
    .where('status', '=', 'pending')
    .orderBy('destination')
    .execute();
  return rows.map((r) => r.destination);
}

async function applyOutcomes(
  trx: Transaction<LedgerDatabase>,
  dialect: LedgerDialectName,
  outcomes: readonly OutcomeRecord[],
): Promise<number[]> {
  if (outcomes.length === 0) return [];
  // One outcome per signal (the first given): a signal is resolved once, in either path.
  const sorted = [...outcomes]
    .sort((a, b) => a.signalId - b.signalId)
    .filter((r, i, all) => i === 0 || r.signalId !== all[i - 1]!.signalId);
  const appliedIds =
    dialect === 'postgres' ? await updateAllAtOnce(trx, sorted) : await updateOneByOne(trx, sorted);
  const applied = sorted.filter((r) => appliedIds.has(r.signalId));
  await addToOutcomeDays(
    trx,
    applied.map((r) => r.outcome),
  );
  return applied.map((r) => r.signalId);
}

/** SQLite, in process: one UPDATE per outcome costs microseconds. */
async function updateOneByOne(
  trx: Transaction<LedgerDatabase>,
  records: readonly OutcomeRecord[],
): Promise<Set<number>> {
  const applied = new Set<number>();
  for (const record of records) {
    const result = await trx
      .updateTable('signals')
      .set(outcomeColumns(record))
      .where('id', '=', record.signalId)
      .where('outcome', 'is', null)
      .executeTakeFirst();
    if (toCount(result.numUpdatedRows) > 0) applied.add(record.signalId);
  }
  return applied;
}

/**
 * PostgreSQL, a round trip per statement: every outcome in one UPDATE, its
 * rows given as one jsonb parameter and typed by jsonb_to_recordset's column
 * list, applied only to signals still open.
 */
async function updateAllAtOnce(
  trx: Transaction<LedgerDatabase>,
  records: readonly OutcomeRecord[],
): Promise<Set<number>> {
  const rows = JSON.stringify(records.map((r) => ({ id: r.signalId, ...outcomeColumns(r) })));
  const result = await sql<{ id: number }>`
    update signals as s set
      outcome = v.outcome, outcome_at = v.outcome_at, outcome_price = v.outcome_price,
      r_multiple = v.r_multiple, mfe_r = v.mfe_r, mae_r = v.mae_r,
      candles_to_outcome = v.candles_to_outcome, outcome_reason = v.outcome_reason
    from jsonb_to_recordset(${rows}::jsonb) as v(
      id integer, outcome text, outcome_at timestamptz, outcome_price double precision,
      r_multiple double precision, mfe_r double precision, mae_r double precision,
      candles_to_outcome integer, outcome_reason text)
    where s.id = v.id and s.outcome is null
    returning s.id`.execute(trx);
  return new Set(result.rows.map((row) => Number(row.id)));
}

/** The signals a cycle recorded first, read back (a repeated call answers what the first one did), in rank order. */
async function signalsFirstSeenIn(
  db: Kysely<LedgerDatabase>,
  cycleId: string,
  ranked: readonly Signal[],
): Promise<NewSignal[]> {
  const rows = await db.selectFrom('signals').selectAll().where('first_cycle_id', '=', cycleId).execute();
  const rank = new Map(ranked.map((s, i) => [identity(s), i]));
  return rows
    .map(ledgerSignalOf)
    .sort((a, b) => (rank.get(identity(a)) ?? Infinity) - (rank.get(identity(b)) ?? Infinity) || a.id - b.id)
    .map(newSignalOf);
}
