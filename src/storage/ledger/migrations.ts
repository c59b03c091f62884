/**
 * @module
 * The ledger's schema, as versioned migrations in code (`001-…`, applied in
 * name order at open by migrate.ts, each run in one transaction). One
 * definition for both databases; the types differ only where the dialects
 * do: timestamptz and jsonb on PostgreSQL, ISO-8601 text and JSON text on
 * SQLite, an identity column against SQLite's AUTOINCREMENT (ids never
 * reused after a prune). A migration, once released, is never edited: a
 * change of schema is a new one.
 */
import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import type { LedgerDialectName } from './schema.js';

export type LedgerMigrations = Record<string, Migration>;

const ISO_UTC_GLOB =
  '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z';

/** The migrations of one dialect, by name. */
export function ledgerMigrations(dialect: LedgerDialectName): LedgerMigrations {
  const pg = dialect === 'postgres';
  const timestamp = pg ? sql`timestamptz` : sql`text`;
  const json = pg ? sql`jsonb` : sql`text`;
  const real = sql`double precision`;
  /** SQLite keeps timestamps as text: only the one sortable shape, toISOString()'s, is accepted. */
  const utc =
    (column: string, notNull = true) =>
    (c: ColumnDefinitionBuilder) => {
      const typed = notNull ? c.notNull() : c;
      return pg ? typed : typed.check(sql`${sql.ref(column)} glob ${sql.lit(ISO_UTC_GLOB)}`);
    };

  return {
    '001-ledger-schema': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its time, not today's types
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('cycles')
          .addColumn('cycle_id', 'text', (c) => c.primaryKey())
          .addColumn('trigger', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('started_at', timestamp, utc('started_at'))
          .addColumn('finished_at', timestamp, utc('finished_at'))
          .addColumn('duration_ms', 'integer', (c) => c.notNull())
          .addColumn('symbols_requested', 'integer', (c) => c.notNull())
          .addColumn('symbols_scanned', 'integer', (c) => c.notNull())
          .addColumn('symbols_failed', 'integer', (c) => c.notNull())
          .addColumn('signal_count', 'integer', (c) => c.notNull())
          .addColumn('close_time', timestamp, utc('close_time', false))
          .addColumn('close_to_report_ms', 'integer')
          .addColumn('report', json, (c) => c.notNull())
          .addColumn('recorded_at', timestamp, utc('recorded_at'))
          .addCheckConstraint('cycles_trigger_ck', sql`trigger in ('schedule', 'close', 'adhoc')`)
          .addCheckConstraint('cycles_status_ck', sql`status in ('completed', 'degraded')`)
          .addCheckConstraint(
            'cycles_counts_ck',
            sql`duration_ms >= 0 and symbols_requested >= 0 and symbols_scanned >= 0 and symbols_failed >= 0 and signal_count >= 0`,
          )
          .execute();
        // Recent cycles (newest first) and retention (older than a cutoff): one index serves both.
        await db.schema.createIndex('cycles_started_at_idx').on('cycles').column('started_at').execute();

        await db.schema
          .createTable('signals')
          .addColumn('id', 'integer', (c) =>
            pg ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
          )
          .addColumn('symbol', 'text', (c) => c.notNull())
          .addColumn('direction', 'text', (c) => c.notNull())
          .addColumn('timeframe', 'text', (c) => c.notNull())
          .addColumn('first_cycle_id', 'text', (c) => c.notNull())
          .addColumn('last_cycle_id', 'text', (c) => c.notNull())
          .addColumn('first_candle_time', timestamp, utc('first_candle_time'))
          .addColumn('entry', real, (c) => c.notNull())
          .addColumn('stop', real, (c) => c.notNull())
          .addColumn('target', real, (c) => c.notNull())
          .addColumn('risk', real, (c) => c.notNull())
          .addColumn('first_score', 'integer', (c) => c.notNull())
          .addColumn('best_score', 'integer', (c) => c.notNull())
          .addColumn('timeframes', json, (c) => c.notNull())
          .addColumn('reasons', json, (c) => c.notNull())
          .addColumn('first_seen_at', timestamp, utc('first_seen_at'))
          .addColumn('last_seen_at', timestamp, utc('last_seen_at'))
          .addColumn('times_seen', 'integer', (c) => c.notNull())
          .addColumn('outcome', 'text')
          .addColumn('outcome_at', timestamp, utc('outcome_at', false))
          .addColumn('outcome_price', real)
          .addColumn('r_multiple', real)
          .addColumn('mfe_r', real)
          .addColumn('mae_r', real)
          .addColumn('candles_to_outcome', 'integer')
          .addColumn('outcome_reason', 'text')
          // No ON DELETE: prune deletes a cycle only once no signal refers to it.
          .addForeignKeyConstraint('signals_first_cycle_fk', ['first_cycle_id'], 'cycles', ['cycle_id'])
          .addForeignKeyConstraint('signals_last_cycle_fk', ['last_cycle_id'], 'cycles', ['cycle_id'])
          .addCheckConstraint('signals_direction_ck', sql`direction in ('LONG', 'SHORT')`)
          .addCheckConstraint(
            'signals_levels_ck',
            sql`risk > 0 and ((direction = 'LONG' and stop < entry and entry < target) or (direction = 'SHORT' and target < entry and entry < stop))`,
          )
          .addCheckConstraint(
            'signals_scores_ck',
            sql`first_score between 0 and 100 and best_score between first_score and 100 and times_seen >= 1`,
          )
          // An outcome comes whole: none, missing (no exit, so no price and no R), or an exit with its figures.
          .addCheckConstraint(
            'signals_outcome_ck',
            sql`(outcome is null and outcome_at is null and outcome_price is null and r_multiple is null)
              or (outcome = 'missing' and outcome_at is not null and outcome_price is null and r_multiple is null
                  and outcome_reason is not null)
              or (outcome in ('target', 'stop', 'expired') and outcome_at is not null and outcome_price is not null
                  and r_multiple is not null and mfe_r is not null and mae_r is not null
                  and candles_to_outcome is not null)`,
          )
          .execute();
        // Identity: at most one OPEN signal per (symbol, direction). Also the arbiter of the
        // upsert in record-cycle.ts, and the index the open signals are read through.
        await db.schema
          .createIndex('signals_open_uq')
          .on('signals')
          .columns(['symbol', 'direction'])
          .unique()
          .where(sql.ref('outcome'), 'is', null)
          .execute();
        await db.schema
          .createIndex('signals_symbol_idx')
          .on('signals')
          .columns(['symbol', 'first_seen_at'])
          .execute();
        await db.schema.createIndex('signals_first_seen_idx').on('signals').column('first_seen_at').execute();
        await db.schema.createIndex('signals_outcome_at_idx').on('signals').column('outcome_at').execute();
        // Foreign keys are indexed so that deleting a cycle (prune) does not scan the signals.
        await db.schema
          .createIndex('signals_first_cycle_idx')
          .on('signals')
          .column('first_cycle_id')
          .execute();
        await db.schema.createIndex('signals_last_cycle_idx').on('signals').column('last_cycle_id').execute();

        await db.schema
          .createTable('signal_sightings')
          .addColumn('cycle_id', 'text', (c) => c.notNull())
          .addColumn('signal_id', 'integer', (c) => c.notNull())
          .addColumn('score', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('signal_sightings_pk', ['cycle_id', 'signal_id'])
          .addForeignKeyConstraint('signal_sightings_cycle_fk', ['cycle_id'], 'cycles', ['cycle_id'], (fk) =>
            fk.onDelete('cascade'),
          )
          .addForeignKeyConstraint('signal_sightings_signal_fk', ['signal_id'], 'signals', ['id'], (fk) =>
            fk.onDelete('cascade'),
          )
          .addCheckConstraint('signal_sightings_score_ck', sql`score between 0 and 100`)
          .execute();
        // The outcomes of each UTC day, kept with the signals in the same transaction, so the headline's
        // 30 days are 30 rows to add up, not a month of signals (86,400 at ten outcomes a cycle).
        await db.schema
          .createTable('outcome_days')
          .addColumn('day', pg ? 'date' : 'text', (c) =>
            pg
              ? c.primaryKey()
              : c.primaryKey().check(sql`day glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`),
          )
          .addColumn('targets', 'integer', (c) => c.notNull())
          .addColumn('stops', 'integer', (c) => c.notNull())
          .addColumn('expired', 'integer', (c) => c.notNull())
          .addColumn('missing', 'integer', (c) => c.notNull())
          .addColumn('r_sum', real, (c) => c.notNull())
          .addColumn('r_count', 'integer', (c) => c.notNull())
          .addCheckConstraint(
            'outcome_days_counts_ck',
            sql`targets >= 0 and stops >= 0 and expired >= 0 and missing >= 0 and r_count >= 0`,
          )
          .execute();
        await db.schema
          .createIndex('signal_sightings_signal_idx')
          .on('signal_sightings')
          .column('signal_id')
          .execute();
      },
    },
    '002-alert-outbox': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its time, not today's types
      async up(db: Kysely<any>) {
        // The alerts a cycle queued, written in the cycle's own transaction (an outbox): delivery
        // reads them in id order per destination, and a message is sent once: its row says so.
        await db.schema
          .createTable('alerts')
          .addColumn('id', 'integer', (c) =>
            pg ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
          )
          // destination/kind/subject: the message's idempotency key, on every retry the same.
          .addColumn('key', 'text', (c) => c.notNull().unique())
          .addColumn('destination', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('cycle_id', 'text', (c) => c.notNull())
          .addColumn('signal_id', 'integer')
          .addColumn('summary', 'text', (c) => c.notNull())
          .addColumn('message', json, (c) => c.notNull())
          .addColumn('close_time', timestamp, utc('close_time', false))
          .addColumn('created_at', timestamp, utc('created_at'))
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('last_error', 'text')
          .addColumn('finished_at', timestamp, utc('finished_at', false))
          .addCheckConstraint('alerts_kind_ck', sql`kind in ('signals', 'outcome', 'cycle')`)
          .addCheckConstraint(
            'alerts_status_ck',
            sql`(status = 'pending' and finished_at is null) or (status in ('sent', 'failed') and finished_at is not null)`,
          )
          .addCheckConstraint('alerts_attempts_ck', sql`attempts >= 0`)
          .execute();
        // A destination's queue, in order: its pending rows by id.
        await db.schema
          .createIndex('alerts_queue_idx')
          .on('alerts')
          .columns(['destination', 'status', 'id'])
          .execute();
        await db.schema.createIndex('alerts_created_at_idx').on('alerts').column('created_at').execute();
        // The open signals newest first (the dashboard's and `client signals --open`'s list): without it a
        // long ledger is read backwards through every resolved signal to find the few open ones.
        await db.schema
          .createIndex('signals_open_first_seen_idx')
          .on('signals')
          .column('first_seen_at')
          .where(sql.ref('outcome'), 'is', null)
          .execute();
      },
    },
  };
}
