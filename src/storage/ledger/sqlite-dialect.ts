/**
 * @module
 * Kysely's SQLite dialect with two corrections for a ledger:
 *
 * - Migrations in a transaction. SQLite's DDL is transactional, but Kysely's
 *   SqliteAdapter says it is not (`supportsTransactionalDdl` is false:
 *   kysely-org/kysely#56, left as is upstream), so its Migrator would run
 *   SQLite migrations without one and a failing migration would leave half a
 *   schema behind. This adapter says true, as PostgreSQL's does.
 * - Transactions begin IMMEDIATE. Every transaction of the ledger writes; a
 *   deferred one that reads first and writes later can fail at once with
 *   SQLITE_BUSY when another process wrote in between (the busy timeout does
 *   not help there). IMMEDIATE takes the write lock at BEGIN, waiting up to
 *   the busy timeout, so two processes on one file (or two migrating at once:
 *   kysely-org/kysely#729) queue instead of failing.
 */
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class LedgerSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
