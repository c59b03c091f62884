/**
 * Fresh, empty databases for the ledger's contract suite, one per test: SQLite
 * files in a temporary folder, or PostgreSQL databases of the suite's own on
 * 127.0.0.1:5432 (created and dropped through a `postgres` connection).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { LedgerSettings } from '../../src/storage/ledger/database.js';

export interface LedgerDatabases {
  /** A new, empty database. */
  fresh(): Promise<LedgerSettings>;
  /** Removes every database fresh() made. */
  dropAll(): Promise<void>;
  /** Why the suite cannot run here (then it is skipped and says so). */
  unavailable?: string;
}

export function sqliteDatabases(): LedgerDatabases {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ledger-test-'));
  let count = 0;
  return {
    // A folder that does not exist yet: the ledger creates it.
    fresh: () => Promise.resolve({ sqliteFile: path.join(folder, `db-${++count}`, 'ledger.sqlite') }),
    dropAll: () => Promise.resolve(rmSync(folder, { recursive: true, force: true })),
  };
}

export const POSTGRES_HOST = '127.0.0.1:5432';

export async function postgresDatabases(): Promise<LedgerDatabases> {
  const admin = new pg.Client({
    connectionString: `postgres://postgres@${POSTGRES_HOST}/postgres`,
    connectionTimeoutMillis: 3_000,
  });
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => {});
    const unavailable = `PostgreSQL does not answer on ${POSTGRES_HOST} (${(error as Error).message || String(error)})`;
    return {
      unavailable,
      fresh: () => Promise.reject(new Error(unavailable)),
      dropAll: () => Promise.resolve(),
    };
  }
  const prefix = `ledger_test_${process.pid}_${Date.now().toString(36)}`;
  const made: string[] = [];
  return {
    async fresh() {
      const name = `${prefix}_${made.length + 1}`;
      await admin.query(`create database ${name}`);
      made.push(name);
      return { databaseUrl: `postgres://postgres@${POSTGRES_HOST}/${name}`, sqliteFile: '(unused)' };
    },
    async dropAll() {
      for (const name of made) await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
