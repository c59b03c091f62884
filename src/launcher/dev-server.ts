import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { requireTemporalCli } from '../temporal/cli.js';
import { DEV_SERVER_EAGER_FLAGS, DEV_SERVER_SQLITE_FLAGS } from '../temporal/dev-server-flags.js';
import { devServerSearchAttributeFlags } from '../temporal/search-attribute-registration.js';
import { spawnOwned, type OwnedProcess } from './child-process.js';

/**
 * The Temporal dev server from the provisioned CLI, persisting to a SQLite
 * file (WAL) so that a restart resumes running cycles, with the Web UI.
 */
export async function startDevServer(options: {
  address: string;
  namespace: string;
  uiPort: number;
  dataDir: string;
  logDir: string;
}): Promise<OwnedProcess> {
  const [host, port] = splitAddress(options.address);
  mkdirSync(options.dataDir, { recursive: true });
  const server = spawnOwned(
    'temporal',
    requireTemporalCli(),
    [
      'server',
      'start-dev',
      '--ip',
      host,
      '--port',
      String(port),
      '--ui-port',
      String(options.uiPort),
      '--db-filename',
      path.join(options.dataDir, 'temporal.db'),
      '--namespace',
      options.namespace,
      ...DEV_SERVER_SQLITE_FLAGS,
      ...DEV_SERVER_EAGER_FLAGS,
      '--log-level',
      'warn',
      ...devServerSearchAttributeFlags(),
    ],
    { logDir: options.logDir },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const connection = await Connection.connect({ address: options.address, connectTimeout: '1 second' });
      await connection.close();
      return server;
    } catch (error) {
      if (server.child.exitCode !== null || Date.now() > deadline) {
        await server.stop();
        throw new Error(
          `the Temporal dev server did not start (see ${server.logFile}): ${(error as Error).message.split('\n')[0]}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i).replace(/^\[|\]$/g, ''), Number(address.slice(i + 1))];
}
