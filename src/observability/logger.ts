import { pino, type Logger } from 'pino';

export type LogFormat = 'auto' | 'json' | 'pretty';

/**
 * Structured logs (pino) on stderr, so stdout stays for results: JSON for
 * machines, pino-pretty's colored lines for a person at a terminal (`auto`
 * picks by whether stderr is a TTY).
 */
export function createLogger(level: string, name: string, format: LogFormat = 'auto'): Logger {
  const pretty = format === 'pretty' || (format === 'auto' && process.stderr.isTTY);
  if (pretty)
    return pino({
      name,
      level,
      transport: { target: 'pino-pretty', options: { destination: 2, translateTime: 'SYS:HH:MM:ss.l' } },
    });
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(2));
}
