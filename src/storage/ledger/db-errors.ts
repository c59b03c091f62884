/**
 * @module
 * Where the databases' errors become the product's: a database that does not
 * answer (refused, reset, timed out, shutting down, SQLite locked past its
 * busy timeout) is a temporary LedgerUnavailableError; credentials or a
 * database that does not exist are a permanent ConfigError; anything else (a
 * constraint, a bug) passes through as it is. Every message is one line and
 * never holds a password: the secrets of the connection are scrubbed from
 * whatever the driver said.
 */
import { ConfigError, LedgerUnavailableError, ScannerError } from '../../core/errors.js';

/** Node socket errors and PostgreSQL SQLSTATEs that mean "the server is not answering now". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '53300', // too_many_connections
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);
/** PostgreSQL SQLSTATEs no retry can fix: wrong credentials, no such database. */
const CONFIG_CODES = new Set(['28P01', '28000', '3D000']);
/** pg's own words for a connection that went away or never came. */
const UNAVAILABLE_TEXT =
  /connection terminated|timeout exceeded when trying to connect|connection error|not queryable/i;
/** SQLSTATEs worth running a transaction again for: a deadlock or a serialization failure. */
const RETRYABLE_CODES = new Set(['40P01', '40001']);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  if (error instanceof AggregateError)
    for (const inner of error.errors) if (codeOf(inner)) return codeOf(inner);
  return undefined;
}

/** What the driver said, on one line (an AggregateError, as Node gives for a refused `localhost`, has no message of its own). */
function rawMessage(error: unknown): string {
  if (error instanceof AggregateError && !error.message)
    return [...new Set(error.errors.map(rawMessage))].join('; ') || codeOf(error) || 'AggregateError';
  if (error instanceof Error) return error.message || codeOf(error) || error.name;
  return String(error);
}

/** One line, at most 300 characters, with every secret replaced. */
export function oneLine(error: unknown, secrets: readonly string[] = []): string {
  let text = rawMessage(error).split('\n')[0]!.trim();
  for (const secret of secrets) if (secret) text = text.split(secret).join('***');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

export function isUnavailable(error: unknown): boolean {
  const code = codeOf(error);
  return (
    (code !== undefined && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) ||
    UNAVAILABLE_TEXT.test(rawMessage(error))
  );
}

export function isRetryableTransaction(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && RETRYABLE_CODES.has(code);
}

/**
 * The product's error for a database error met while doing `what` (a phrase
 * such as "ledger at postgres://u:***@db/x"): unavailable → temporary,
 * credentials → permanent; a product error, and anything else (a constraint,
 * a bug), passes through unchanged.
 */
export function ledgerError(error: unknown, what: string, secrets: readonly string[] = []): Error {
  if (error instanceof ScannerError) return error;
  const message = `${what}: ${oneLine(error, secrets)}`;
  if (isUnavailable(error)) return new LedgerUnavailableError(message);
  const code = codeOf(error);
  if (code !== undefined && CONFIG_CODES.has(code)) return new ConfigError(message);
  return error instanceof Error ? error : new Error(message);
}
