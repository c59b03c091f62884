/**
 * @module
 * One writer at a time. A cycle's transaction resolves signals by id and
 * upserts others by (symbol, direction): two cycles written at once on
 * PostgreSQL take the same rows' locks in different orders and deadlock (a
 * stress of six concurrent cycles did so in every round). Writers therefore
 * queue on a transaction-scoped advisory lock, released at commit or
 * rollback, across every process on the database. SQLite needs none: its
 * transactions begin IMMEDIATE (sqlite-dialect.ts), which is the same queue.
 * The partial unique index still guarantees one open signal per (symbol,
 * direction) to any other writer; the lock only keeps writers from
 * deadlocking on each other.
 */
import { sql, type Transaction } from 'kysely';
import type { LedgerDatabase, LedgerDialectName } from './schema.js';

/** pg_advisory_xact_lock(key1, key2): 'LDGR' and 1, the ledger's writes. */
const LOCK_CLASS = 0x4c444752;
const LOCK_WRITES = 1;

export async function queueWriters(
  trx: Transaction<LedgerDatabase>,
  dialect: LedgerDialectName,
): Promise<void> {
  if (dialect === 'postgres')
    await sql`select pg_advisory_xact_lock(${LOCK_CLASS}, ${LOCK_WRITES})`.execute(trx);
}
