/**
 * @module
 * Brings the ledger's schema to the latest version at open: Kysely's
 * Migrator over the migrations in code. The pending migrations run in one
 * transaction on both databases (PostgreSQL's DDL is transactional, and
 * SQLite's is too through sqlite-dialect.ts), under the Migrator's lock
 * (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE), so two processes
 * starting together migrate once. A failing migration leaves the schema as it
 * was (only the Migrator's own bookkeeping tables, `ledger_migration` and
 * `ledger_migration_lock`, may remain) and is reported in one line naming it.
 */
import { Migrator, type Kysely } from 'kysely';
import { ConfigError, LedgerUnavailableError } from '../../core/errors.js';
import { isUnavailable, oneLine } from './db-errors.js';
import type { LedgerMigrations } from './migrations.js';

export const MIGRATION_TABLE = 'ledger_migration';
export const MIGRATION_LOCK_TABLE = 'ledger_migration_lock';

/** Applies the pending migrations; returns the names applied. Throws ConfigError (or LedgerUnavailableError) in one line. */
export async function migrateLedger(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Migrator works on any schema
  db: Kysely<any>,
  migrations: LedgerMigrations,
  where: string,
  secrets: readonly string[] = [],
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error === undefined) return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
  const failed = results.find((r) => r.status === 'Error')?.migrationName;
  const what = failed
    ? `ledger ${where}: migration ${failed} failed, nothing of it applied`
    : `ledger ${where}: migrations could not start`;
  const message = `${what}: ${oneLine(error, secrets)}`;
  throw isUnavailable(error) ? new LedgerUnavailableError(message) : new ConfigError(message);
}
