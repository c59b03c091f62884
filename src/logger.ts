import { pino, type Logger } from 'pino';

/** Structured JSON logs (pino) on stderr, so stdout stays for results. */
export function createLogger(level: string, name: string): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(2));
}
