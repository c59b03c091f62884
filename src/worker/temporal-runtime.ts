import { createServer } from 'node:net';
import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';

const SDK_LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

/** A free loopback port, for the SDK's own Prometheus exporter (served to scrapers through ours). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no free loopback port');
  return address.port;
}

/**
 * Installs the Temporal runtime of a worker process, before any worker
 * exists: the SDK's logs (worker state, workflow and activity loggers, with
 * their ids) go through pino as JSON, and, when asked, its metrics are
 * exported in Prometheus form on a private loopback port (returned as a URL).
 */
export async function installTemporalRuntime(
  log: Logger,
  { metrics }: { metrics: boolean },
): Promise<string | undefined> {
  const bindAddress = metrics ? `127.0.0.1:${await freeLoopbackPort()}` : undefined;
  Runtime.install({
    logger: new DefaultLogger(SDK_LEVELS[log.level] ?? 'INFO', (entry) => {
      const level =
        entry.level === 'TRACE'
          ? 'trace'
          : (entry.level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
      log[level]({ ...entry.meta, source: 'temporal' }, entry.message);
    }),
    ...(bindAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress } } } } : {}),
  });
  return bindAddress ? `http://${bindAddress}/metrics` : undefined;
}
