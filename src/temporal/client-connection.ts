/**
 * @module
 * A client connection to the configured Temporal, and the one-line error
 * every process gives when it does not answer.
 */
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config.js';
import { errorMessage, TemporalUnreachableError } from '../core/errors.js';
import { temporalConnectionOptions } from './connection-options.js';

/** A client of the configured Temporal, or a one-line error saying which address did not answer. */
export async function connectClient(config: Config): Promise<Client> {
  try {
    const connection = await Connection.connect({
      ...temporalConnectionOptions(config),
      connectTimeout: '3 seconds',
    });
    return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  } catch (error) {
    throw temporalUnreachable(config, error);
  }
}

/** One line: which address, and the transport's reason without its Rust debug wrapping. */
export function temporalUnreachable(config: Config, error: unknown): TemporalUnreachableError {
  const message = errorMessage(error).split('\n')[0]!;
  const reason =
    /message: "([^"]+)"/.exec(message)?.[1] ?? /ConnectError\("([^"]+)"/.exec(message)?.[1] ?? message;
  return new TemporalUnreachableError(`cannot reach Temporal at ${config.TEMPORAL_ADDRESS}: ${reason}`);
}
