/**
 * @module
 * The one way to a Ledger: connect (database.ts), bring the schema to the
 * latest migration (migrate.ts), and hand out the repository. Whatever fails
 * on the way closes what was opened and throws one line: ConfigError for a
 * bad URL, wrong credentials or a failing migration, LedgerUnavailableError
 * for a database that does not answer.
 */
import path from 'node:path';
import { type Config, PROJECT_ROOT } from '../../config.js';
import { connectLedger, type ConnectOptions, type LedgerSettings } from './database.js';
import type { Ledger } from './ledger.js';
import { migrateLedger } from './migrate.js';
import { ledgerMigrations, type LedgerMigrations } from './migrations.js';
import type { LedgerDialectName } from './schema.js';
import { SqlLedger } from './sql-ledger.js';

export interface OpenLedgerOptions extends ConnectOptions {
  /** The migrations to apply (tests give others); default: the ledger's own. */
  migrations?: (dialect: LedgerDialectName) => LedgerMigrations;
}

export async function openLedger(settings: LedgerSettings, options: OpenLedgerOptions = {}): Promise<Ledger> {
  const { db, dialect, where, secrets } = await connectLedger(settings, options);
  try {
    await migrateLedger(db, (options.migrations ?? ledgerMigrations)(dialect), where, secrets);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
  return new SqlLedger(db, dialect, where, secrets);
}

/** The embedded database's file, under DATA_DIR. */
export const LEDGER_SQLITE_FILE = 'ledger.sqlite';

/** Where the configuration puts the ledger: PostgreSQL at DATABASE_URL, else DATA_DIR's SQLite file. */
export function ledgerSettings(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): LedgerSettings {
  return {
    ...(config.DATABASE_URL === undefined ? {} : { databaseUrl: config.DATABASE_URL }),
    sqliteFile: path.resolve(PROJECT_ROOT, config.DATA_DIR, LEDGER_SQLITE_FILE),
  };
}
