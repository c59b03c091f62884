/**
 * @module
 * The Ledger over Kysely: one implementation for SQLite and PostgreSQL,
 * since every query is written once in Kysely and rows.ts evens out what the
 * drivers return. The dialects differ only below it: the connection
 * (database.ts), SQLite's transactions (sqlite-dialect.ts) and the column
 * types (migrations.ts). Errors leave here as the product's (db-errors.ts).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { PerformanceRow } from '../../analysis/performance.js';
import type { CycleReport, LedgerHeadline } from '../../contract/types.js';
import { upgradeStats } from '../../contract/batch-stats.js';
import { isRetryableTransaction, ledgerError } from './db-errors.js';
import type {
  AlertQuery,
  CycleSummary,
  Ledger,
  LedgerSignal,
  PruneResult,
  QueuedAlert,
  RecordCycleInput,
  RecordCycleResult,
  SignalQuery,
} from './ledger.js';
import { headlineOf, utcDay } from './headline.js';
import { recordCycleIn } from './record-cycle.js';
import { performanceRowFrom } from './performance-rows.js';
import { cycleSummaryOf, fromDbJson, ledgerSignalOf, queuedAlertOf, toCount, toDbTime } from './rows.js';
import type { LedgerDatabase, LedgerDialectName } from './schema.js';
import { queueWriters } from './writer-lock.js';

/**
 * Runs of a write transaction that PostgreSQL aborted for a deadlock or a
 * serialization failure (it rolled back: safe to run again). Writers queue
 * (writer-lock.ts), so this covers writers that do not: a DBA's script.
 */
const TRANSACTION_ATTEMPTS = 3;
const DAY_MS = 86_400_000;

export class SqlLedger implements Ledger {
  #closed = false;

  constructor(
    private readonly db: Kysely<LedgerDatabase>,
    readonly dialect: LedgerDialectName,
    /** The database, fit for a message (password masked). */
    private readonly where: string,
    private readonly secrets: readonly string[],
  ) {}

  private async guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw ledgerError(error, `ledger ${this.where}: ${what}`, this.secrets);
    }
  }

  private async inTransaction<T>(run: (trx: Transaction<LedgerDatabase>) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          await queueWriters(trx, this.dialect);
          return run(trx);
        });
      } catch (error) {
        if (attempt >= TRANSACTION_ATTEMPTS || !isRetryableTransaction(error)) throw error;
      }
    }
  }

  recordCycle(input: RecordCycleInput): Promise<RecordCycleResult> {
    return this.guard(`recording cycle ${input.report.cycleId}`, () =>
      this.inTransaction((trx) => recordCycleIn(trx, this.dialect, input)),
    );
  }

  openSignals(): Promise<LedgerSignal[]> {
    return this.guard('reading open signals', async () => {
      const rows = await this.db
        .selectFrom('signals')
        .selectAll()
        .where('outcome', 'is', null)
        .orderBy('symbol')
        .orderBy('direction')
        .execute();
      return rows.map(ledgerSignalOf);
    });
  }

  report(cycleId: string): Promise<CycleReport | undefined> {
    return this.guard(`reading report ${cycleId}`, async () => {
      const row = await this.db
        .selectFrom('cycles')
        .select('report')
        .where('cycle_id', '=', cycleId)
        .executeTakeFirst();
      return row ? reportOf(row.report) : undefined;
    });
  }

  latestReport(): Promise<CycleReport | undefined> {
    return this.guard('reading the latest report', async () => {
      const row = await this.db
        .selectFrom('cycles')
        .select('report')
        .orderBy('started_at', 'desc')
        .orderBy('cycle_id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? reportOf(row.report) : undefined;
    });
  }

  recentCycles(limit: number): Promise<CycleSummary[]> {
    return this.guard('reading recent cycles', async () => {
      const rows = await this.db
        .selectFrom('cycles')
        .select([
          'cycle_id',
          'trigger',
          'status',
          'started_at',
          'finished_at',
          'duration_ms',
          'symbols_requested',
          'symbols_scanned',
          'symbols_failed',
          'signal_count',
          'close_time',
          'close_to_report_ms',
          'recorded_at',
        ])
        .orderBy('started_at', 'desc')
        .orderBy('cycle_id', 'desc')
        .limit(Math.max(0, Math.floor(limit)))
        .execute();
      return rows.map(cycleSummaryOf);
    });
  }

  signals(query: SignalQuery = {}): Promise<LedgerSignal[]> {
    return this.guard('reading signals', async () => {
      let select = this.db.selectFrom('signals').selectAll();
      if (query.open === true) select = select.where('outcome', 'is', null);
      if (query.open === false) select = select.where('outcome', 'is not', null);
      if (query.symbol !== undefined) select = select.where('symbol', '=', query.symbol);
      if (query.since !== undefined) select = select.where('first_seen_at', '>=', toDbTime(query.since));
      select = select.orderBy('first_seen_at', 'desc').orderBy('id', 'desc');
      if (query.limit !== undefined) select = select.limit(Math.max(0, Math.floor(query.limit)));
      return (await select.execute()).map(ledgerSignalOf);
    });
  }

  performanceRows(since: number): Promise<PerformanceRow[]> {
    const agreement =
      this.dialect === 'postgres'
        ? sql<number>`jsonb_array_length(timeframes)`
        : sql<number>`json_array_length(timeframes)`;
    return this.guard('reading performance rows', async () => {
      const rows = await this.db
        .selectFrom('signals')
        .select([
          'direction',
          'first_score',
          'timeframe',
          'first_candle_time',
          'first_seen_at',
          'outcome',
          'outcome_at',
          'r_multiple',
          agreement.as('agreement'),
        ])
        .where('first_seen_at', '>=', toDbTime(since))
        .orderBy('first_seen_at')
        .orderBy('id')
        .execute();
      return rows.map(performanceRowFrom);
    });
  }

  resolvedSince(since: number): Promise<LedgerSignal[]> {
    return this.guard('reading resolved signals', async () => {
      const rows = await this.db
        .selectFrom('signals')
        .selectAll()
        .where('outcome_at', '>=', toDbTime(since))
        .orderBy('outcome_at')
        .orderBy('id')
        .execute();
      return rows.map(ledgerSignalOf);
    });
  }

  headline(now: number): Promise<LedgerHeadline> {
    return this.guard('reading the headline', () => headlineOf(this.db, now));
  }

  prune(retentionDays: number, now: number): Promise<PruneResult> {
    const cutoff = toDbTime(now - retentionDays * DAY_MS);
    return this.guard('pruning', () =>
      this.inTransaction(async (trx) => {
        const signals = await trx
          .deleteFrom('signals')
          .where('outcome', 'is not', null)
          .where('outcome_at', '<', cutoff)
          .executeTakeFirst();
        const cycles = await trx
          .deleteFrom('cycles')
          .where('started_at', '<', cutoff)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('signals')
                  .select('signals.id')
                  .whereRef('signals.first_cycle_id', '=', 'cycles.cycle_id'),
              ),
            ),
          )
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('signals')
                  .select('signals.id')
                  .whereRef('signals.last_cycle_id', '=', 'cycles.cycle_id'),
              ),
            ),
          )
          .executeTakeFirst();
        const days = await trx
          .deleteFrom('outcome_days')
          .where('day', '<', utcDay(now - retentionDays * DAY_MS))
          .executeTakeFirst();
        // A pending alert stays whatever its age: delivery gives it up (giveUpAfter), not retention.
        const alerts = await trx
          .deleteFrom('alerts')
          .where('status', '!=', 'pending')
          .where('created_at', '<', cutoff)
          .executeTakeFirst();
        return {
          cycles: toCount(cycles.numDeletedRows),
          signals: toCount(signals.numDeletedRows),
          outcomeDays: toCount(days.numDeletedRows),
          alerts: toCount(alerts.numDeletedRows),
        };
      }),
    );
  }

  dueAlerts(destination: string, limit: number): Promise<QueuedAlert[]> {
    return this.guard(`reading the alerts due to ${destination}`, async () => {
      const rows = await this.db
        .selectFrom('alerts')
        .selectAll()
        .where('destination', '=', destination)
        .where('status', '=', 'pending')
        .orderBy('id')
        .limit(Math.max(0, Math.floor(limit)))
        .execute();
      return rows.map(queuedAlertOf);
    });
  }

  alert(id: number): Promise<QueuedAlert | undefined> {
    return this.guard(`reading alert ${id}`, async () => {
      const row = await this.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? queuedAlertOf(row) : undefined;
    });
  }

  markAlertSent(id: number, at: number, attempts: number): Promise<boolean> {
    return this.finishAlert(id, { status: 'sent', finished_at: toDbTime(at), attempts });
  }

  markAlertFailed(id: number, at: number, attempts: number, reason: string): Promise<boolean> {
    return this.finishAlert(id, {
      status: 'failed',
      finished_at: toDbTime(at),
      attempts,
      last_error: reason,
    });
  }

  /** Only a pending alert is finished: whoever finishes it first decides, and says so by the count. */
  private finishAlert(
    id: number,
    set: { status: 'sent' | 'failed'; finished_at: string; attempts: number; last_error?: string },
  ): Promise<boolean> {
    return this.guard(`marking alert ${id} ${set.status}`, async () => {
      const result = await this.db
        .updateTable('alerts')
        .set(set)
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return toCount(result.numUpdatedRows) > 0;
    });
  }

  noteAlertAttempt(id: number, attempts: number, reason: string): Promise<void> {
    return this.guard(`noting an attempt of alert ${id}`, async () => {
      await this.db
        .updateTable('alerts')
        .set({ attempts, last_error: reason })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    });
  }

  alerts(query: AlertQuery = {}): Promise<QueuedAlert[]> {
    return this.guard('reading alerts', async () => {
      let select = this.db.selectFrom('alerts').selectAll();
      if (query.status !== undefined) select = select.where('status', '=', query.status);
      if (query.destination !== undefined) select = select.where('destination', '=', query.destination);
      select = select.orderBy('id', 'desc');
      if (query.limit !== undefined) select = select.limit(Math.max(0, Math.floor(query.limit)));
      return (await select.execute()).map(queuedAlertOf);
    });
  }

  requeueAlert(id: number, now: number): Promise<QueuedAlert | undefined> {
    return this.guard(`queuing alert ${id} again`, async () => {
      const row = await this.db
        .updateTable('alerts')
        .set({ status: 'pending', attempts: 0, finished_at: null, created_at: toDbTime(now) })
        .where('id', '=', id)
        .where('status', '=', 'failed')
        .returningAll()
        .executeTakeFirst();
      return row ? queuedAlertOf(row) : undefined;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.db.destroy();
  }
}

function reportOf(value: unknown): CycleReport {
  const report = fromDbJson<CycleReport>(value);
  return report.stats ? { ...report, stats: upgradeStats(report.stats) } : report;
}
