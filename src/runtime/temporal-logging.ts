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

/**
 * Sends the Temporal SDK's own logs (worker state, workflow and activity
 * loggers, with their workflow and activity ids) through pino, so a worker
 * writes one stream of structured JSON. Must run before any worker exists.
 */
export function installTemporalLogging(log: Logger): void {
  Runtime.install({
    logger: new DefaultLogger(SDK_LEVELS[log.level] ?? 'INFO', (entry) => {
      const level =
        entry.level === 'TRACE'
          ? 'trace'
          : (entry.level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
      log[level]({ ...entry.meta, source: 'temporal' }, entry.message);
    }),
  });
}
