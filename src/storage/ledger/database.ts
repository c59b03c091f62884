/**
 * @module
 * Opening the ledger's database from configuration values: PostgreSQL (a
 * `pg` Pool) when a postgres:// URL is given, else the embedded SQLite file
 * (better-sqlite3; the file and its folder created; WAL journal, a busy
 * timeout, foreign keys on). The connection is tried at once, so a bad URL
 * or a server that does not answer fails here, in one line that names the
 * database with its password masked: a ConfigError for what no retry fixes,
 * a LedgerUnavailableError for what may pass.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { redactUrl } from '../../config.js';
import { ConfigError, LedgerUnavailableError, ScannerError } from '../../core/errors.js';
import { isUnavailable, ledgerError, oneLine } from './db-errors.js';
import type { LedgerDatabase, LedgerDialectName } from './schema.js';
import { LedgerSqliteDialect } from './sqlite-dialect.js';

/** The configuration values the ledger needs (DATABASE_URL; the SQLite file under DATA_DIR). */
export interface LedgerSettings {
  databaseUrl?: string;
  sqliteFile: string;
}

export interface ConnectOptions {
  /** How long to wait for PostgreSQL to accept a connection, ms. */
  connectTimeoutMs?: number;
  /** How long a SQLite writer (or a process opening the file) waits for another process's lock, ms. */
  busyTimeoutMs?: number;
}

export interface LedgerConnection {
  db: Kysely<LedgerDatabase>;
  dialect: LedgerDialectName;
  /** The database, fit for a message: "PostgreSQL at postgres://u:***@host/db" or "SQLite file …". */
  where: string;
  /** What messages must never show (the password, raw and URL-encoded). */
  secrets: string[];
}

const POOL_SIZE = 10;

export async function connectLedger(
  settings: LedgerSettings,
  { connectTimeoutMs = 5_000, busyTimeoutMs = 5_000 }: ConnectOptions = {},
): Promise<LedgerConnection> {
  const connection =
    settings.databaseUrl === undefined
      ? await openSqlite(settings.sqliteFile, busyTimeoutMs)
      : openPostgres(settings.databaseUrl, connectTimeoutMs);
  try {
    await sql`select 1`.execute(connection.db);
  } catch (error) {
    await connection.db.destroy().catch(() => {});
    const what = `ledger ${connection.where} ${isUnavailable(error) ? 'unreachable' : 'refused the connection'}`;
    const failure = ledgerError(error, what, connection.secrets);
    // Neither absent nor refusing credentials (TLS demanded, a proxy that is not PostgreSQL): it will not work as set.
    throw failure instanceof ScannerError
      ? failure
      : new ConfigError(`${what}: ${oneLine(error, connection.secrets)}`);
  }
  return connection;
}

function openPostgres(databaseUrl: string, connectTimeoutMs: number): LedgerConnection {
  let url: URL | undefined;
  try {
    url = new URL(databaseUrl);
  } catch {
    url = undefined;
  }
  const postgresUrl = url !== undefined && (url.protocol === 'postgres:' || url.protocol === 'postgresql:');
  if (!url || !postgresUrl || url.hostname === '') {
    // Echo only what cannot hold a secret: a postgres URL with its password masked, else its scheme.
    const shown = postgresUrl ? redactUrl(databaseUrl) : url ? `(a ${url.protocol} URL)` : '(unparseable)';
    throw new ConfigError(`DATABASE_URL ${shown}: must be a postgres:// or postgresql:// URL with a host`);
  }
  const secrets = url.password ? [url.password, decoded(url.password)] : [];
  const where = `PostgreSQL at ${redactUrl(databaseUrl)}`;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: POOL_SIZE,
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: 'market-scanner-ledger',
  });
  // An idle client whose server went away emits here; the next query reports it instead of crashing the process.
  pool.on('error', () => {});
  return {
    db: new Kysely<LedgerDatabase>({ dialect: new PostgresDialect({ pool }) }),
    dialect: 'postgres',
    where,
    secrets,
  };
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Between two tries at a file another process holds locked. */
const LOCKED_RETRY_MS = 25;

/**
 * Opens the file and sets its pragmas. Switching a new file to WAL takes an
 * exclusive lock, and SQLite can answer SQLITE_BUSY to it at once, without
 * its busy handler (several processes opening a new file together): that is
 * tried again until the busy timeout has passed.
 */
async function openSqlite(file: string, busyTimeoutMs: number): Promise<LedgerConnection> {
  const where = `SQLite file ${file}`;
  const timeout = Math.max(0, Math.round(busyTimeoutMs));
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return {
        db: new Kysely<LedgerDatabase>({
          dialect: new LedgerSqliteDialect({ database: openSqliteFile(file, timeout) }),
        }),
        dialect: 'sqlite',
        where,
        secrets: [],
      };
    } catch (error) {
      const failure = ledgerError(error, `ledger ${where} cannot be opened`);
      if (failure instanceof LedgerUnavailableError && Date.now() < deadline) {
        await sleep(LOCKED_RETRY_MS);
        continue;
      }
      // Locked by another process past the timeout: may pass. Anything else (a folder in the way, no permission): it will not.
      throw failure instanceof ScannerError
        ? failure
        : new ConfigError(`ledger ${where} cannot be opened: ${oneLine(error)}`);
    }
  }
}

function openSqliteFile(file: string, busyTimeoutMs: number): Database.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new Database(file, { timeout: busyTimeoutMs });
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    // WAL's recommended durability: a commit survives a crash of the process, not always a power cut.
    database.pragma('synchronous = NORMAL');
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}
