import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, LedgerUnavailableError } from '../../src/core/errors.js';
import { isRetryableTransaction, ledgerError, oneLine } from '../../src/storage/ledger/db-errors.js';
import { openLedger } from '../../src/storage/ledger/open-ledger.js';
import { POSTGRES_HOST, postgresDatabases } from './ledger-databases.js';

const PASSWORD = 's3cret-Pa55';
const postgres = await postgresDatabases();
await postgres.dropAll();

/** What opening gives up with: the error, whose message must be one line and never hold the password. */
async function failure(
  databaseUrl: string | undefined,
  sqliteFile = '(unused)',
  connectTimeoutMs = 2_000,
): Promise<Error> {
  const error = await openLedger({ databaseUrl, sqliteFile }, { connectTimeoutMs }).then(
    (ledger) => ledger.close().then(() => new Error('opened')),
    (e: unknown) => e as Error,
  );
  expect(error.message).not.toContain('\n');
  expect(error.message).not.toContain(PASSWORD);
  expect(error.message.length).toBeLessThan(400);
  return error;
}

describe('opening the ledger: bad configuration and absent servers, in one line', () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ledger-open-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it.each([
    ['a URL of another database', `mysql://scanner:${PASSWORD}@db.example/ledger`],
    ['a URL without a host', `postgres://scanner:${PASSWORD}@:5432/ledger`],
    ['no URL at all', `scanner:${PASSWORD} at db.example`],
    ['a port out of range', `postgres://scanner:${PASSWORD}@db.example:99999/ledger`],
  ])('%s: a ConfigError naming DATABASE_URL', async (_, url) => {
    const error = await failure(url);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(
      /^DATABASE_URL .*: must be a postgres:\/\/ or postgresql:\/\/ URL with a host$/,
    );
  });

  it('a server that refuses: a temporary LedgerUnavailableError naming it, password masked', async () => {
    const error = await failure(`postgres://scanner:${PASSWORD}@127.0.0.1:1/ledger`);
    expect(error).toBeInstanceOf(LedgerUnavailableError);
    expect((error as LedgerUnavailableError).temporary).toBe(true);
    expect(error.message).toMatch(
      /^ledger PostgreSQL at postgres:\/\/scanner:\*\*\*@127\.0\.0\.1:1\/ledger unreachable: .*ECONNREFUSED/,
    );
  });

  it('localhost refusing (on every address it resolves to) says why', async () => {
    const error = await failure(`postgresql://scanner:${PASSWORD}@localhost:1/ledger`);
    expect(error).toBeInstanceOf(LedgerUnavailableError);
    expect(error.message).toMatch(/unreachable: .*ECONNREFUSED/);
  });

  it('a host that does not resolve, or does not answer in time: LedgerUnavailableError', async () => {
    expect(await failure(`postgres://scanner:${PASSWORD}@no-such-host.invalid/ledger`)).toBeInstanceOf(
      LedgerUnavailableError,
    );
    expect(
      await failure(`postgres://scanner:${PASSWORD}@10.255.255.1:5432/ledger`, '(unused)', 300),
    ).toBeInstanceOf(LedgerUnavailableError);
  });

  it.skipIf(postgres.unavailable !== undefined)(
    'a database that does not exist: a ConfigError, password masked',
    async () => {
      const error = await failure(`postgres://postgres:${PASSWORD}@${POSTGRES_HOST}/no_such_ledger_database`);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toMatch(
        /refused the connection: database "no_such_ledger_database" does not exist$/,
      );
    },
  );

  it('an SQLite file that cannot be made: a ConfigError naming it', async () => {
    const blocker = path.join(folder, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const error = await failure(undefined, path.join(blocker, 'ledger.sqlite'));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^ledger SQLite file .*a-file\/ledger\.sqlite cannot be opened: /);
  });

  it('creates the SQLite file and its folders, in WAL mode', async () => {
    const file = path.join(folder, 'deep', 'er', 'ledger.sqlite');
    const ledger = await openLedger({ sqliteFile: file });
    expect(ledger.dialect).toBe('sqlite');
    await ledger.close();
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});

describe("classifying the databases' errors", () => {
  const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

  it('one line, secrets masked, and an AggregateError (no message of its own) told by its parts', () => {
    expect(oneLine(new Error(`auth for pw ${PASSWORD} failed\n    at stack`), [PASSWORD])).toBe(
      'auth for pw *** failed',
    );
    const refused = new AggregateError([
      coded('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'),
      coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
    ]);
    expect(oneLine(refused)).toBe('connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432');
    expect(ledgerError(refused, 'ledger x')).toBeInstanceOf(LedgerUnavailableError);
  });

  it('absent or busy is temporary, credentials permanent, anything else passes through unchanged', () => {
    expect(ledgerError(coded('database is locked', 'SQLITE_BUSY'), 'w')).toBeInstanceOf(
      LedgerUnavailableError,
    );
    expect(
      ledgerError(coded('terminating connection due to administrator command', '57P01'), 'w'),
    ).toBeInstanceOf(LedgerUnavailableError);
    expect(ledgerError(coded('connection failure', '08006'), 'w')).toBeInstanceOf(LedgerUnavailableError);
    expect(ledgerError(new Error('Connection terminated unexpectedly'), 'w')).toBeInstanceOf(
      LedgerUnavailableError,
    );
    expect(ledgerError(coded('password authentication failed for user "x"', '28P01'), 'w')).toBeInstanceOf(
      ConfigError,
    );
    const violation = coded('duplicate key value violates unique constraint "signals_open_uq"', '23505');
    expect(ledgerError(violation, 'w')).toBe(violation);
    expect(ledgerError(new LedgerUnavailableError('already ours'), 'w').message).toBe('already ours');
  });

  it('deadlocks and serialization failures may run again; nothing else', () => {
    expect(isRetryableTransaction(coded('deadlock detected', '40P01'))).toBe(true);
    expect(isRetryableTransaction(coded('could not serialize access', '40001'))).toBe(true);
    expect(isRetryableTransaction(coded('duplicate key', '23505'))).toBe(false);
  });
});
