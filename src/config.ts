import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CronExpressionParser } from 'cron-parser';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { type AlertsConfig, NO_ALERTS, parseAlerts } from './alerts/destinations.js';
import { ruleParamsSchema } from './analysis/params.js';
import { ConfigError } from './core/errors.js';
import { BATCH_SIZE, CANDLE_LIMIT, FETCH_CONCURRENCY, type IntegerRange } from './core/limits.js';
import { DEFAULT_TIMEFRAMES, parseTimeframes } from './core/timeframes.js';
import { DEFAULT_TASK_QUEUE } from './contract/ids.js';

/**
 * @module
 * The one configuration, read from the environment (documented in the
 * README) with command-line flags on top, validated once at start. A bad
 * value stops the process with a one-line message naming the variable.
 * Every default lives here; the code below takes values, not defaults.
 */

/** The repository root, wherever the process was started from: where DATA_DIR, dist/ and .tools/ resolve. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const list = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

const intFrom = (min: number, max: number, fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .transform((s, ctx) => {
      const n = Number(s);
      if (!/^-?\d+$/.test(s.trim()) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}, got "${s}"` });
        return z.NEVER;
      }
      return n;
    });

/** A server's URL: one of `schemes` (without "://"), and a host. */
const serverUrl = (...schemes: string[]) =>
  z.string().refine(
    (s) => {
      try {
        const url = new URL(s);
        return schemes.some((scheme) => url.protocol === `${scheme}:`) && url.hostname !== '';
      } catch {
        return false;
      }
    },
    `must be a ${schemes.map((scheme) => `${scheme}://`).join(' or ')} URL with a host`,
  );

const redisUrl = serverUrl('redis', 'rediss').default('redis://127.0.0.1:6379');

const hostPort = z
  .string()
  .default('127.0.0.1:7233')
  .refine((s) => /^[^\s:/]+:\d{1,5}$/.test(s) || /^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(s), 'must be host:port');

/** A file the process must read (a certificate, a key); the message never repeats the path. */
const readableFile = z.string().refine((file) => {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}, 'no readable file at that path');

const intIn = (range: IntegerRange) => intFrom(range.min, range.max, range.default);

export const envSchema = z.object({
  TEMPORAL_ADDRESS: hostPort,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
  /** Web UI port of the dev server `npm start` starts. */
  TEMPORAL_UI_PORT: intFrom(1, 65_535, 8233),
  /** Where people open the Web UI (alerts link to their cycle there); default http://localhost:TEMPORAL_UI_PORT. */
  TEMPORAL_UI_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * TLS to Temporal: auto (the SDK's choice: on when an API key or any TLS
   * file is given), on (system roots unless TEMPORAL_TLS_CA), or off.
   */
  TEMPORAL_TLS: z.enum(['auto', 'on', 'off']).default('auto'),
  TEMPORAL_TLS_CA: readableFile.optional(),
  /** mTLS: the client certificate and its key (both or neither). */
  TEMPORAL_TLS_CERT: readableFile.optional(),
  TEMPORAL_TLS_KEY: readableFile.optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** Temporal Cloud API key (sent as a bearer token; never logged). */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  REDIS_URL: redisUrl,
  /** CA of a rediss:// server whose certificate the system roots do not vouch for. */
  REDIS_TLS_CA: readableFile.optional(),
  EXCHANGE: z.enum(['simulator', 'binanceusdm']).default('simulator'),
  /** The simulator's base URL; REST and WebSocket URLs derive from it. */
  EXCHANGE_URL: z.url({ protocol: /^https?$/ }).optional(),
  EXCHANGE_TIMEOUT_MS: intFrom(100, 120_000, 10_000),
  /** How often the exchange clock is measured (/time, weight 1); short only against an accelerated simulator. */
  EXCHANGE_CLOCK_CHECK_MS: intFrom(100, 86_400_000, 300_000),
  /**
   * The worker reloads the exchange's listing this often in the background,
   * so a cycle does not wait on it; a cycle reloads it itself when it is
   * older than twice this (0: every cycle reloads it).
   */
  EXCHANGE_MARKETS_REFRESH_MS: intFrom(0, 86_400_000, 60_000),
  /** Request weight this process spends per rolling minute (Binance allows 2400 per IP; keep a margin). */
  EXCHANGE_WEIGHT_LIMIT: intFrom(10, 100_000, 2300),
  SCAN_TIMEFRAMES: z
    .string()
    .default(DEFAULT_TIMEFRAMES.join(','))
    .transform((s, ctx) => {
      try {
        return parseTimeframes(s);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  SCAN_CANDLE_LIMIT: intIn(CANDLE_LIMIT),
  SCAN_BATCH_SIZE: intIn(BATCH_SIZE),
  /** Concurrent symbols per batch activity. */
  SCAN_FETCH_CONCURRENCY: intIn(FETCH_CONCURRENCY),
  SCAN_INCLUDE: list,
  SCAN_EXCLUDE: list,
  SCAN_MIN_QUOTE_VOLUME: z
    .string()
    .default('0')
    .transform((s, ctx) => {
      const n = Number(s);
      if (s.trim() === '' || !Number.isFinite(n) || n < 0) {
        ctx.addIssue({ code: 'custom', message: `must be a non-negative number, got "${s}"` });
        return z.NEVER;
      }
      return n;
    }),
  /**
   * Signal rule thresholds over the defaults (README, "Signal rules"), as
   * JSON: '{"minScore": 50, "rsiLongMin": 55}'. Unknown names are refused.
   */
  SCAN_RULES: z
    .string()
    .default('{}')
    .transform((s, ctx) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(s);
      } catch {
        ctx.addIssue({ code: 'custom', message: `not JSON: ${s}` });
        return z.NEVER;
      }
      const result = ruleParamsSchema.safeParse(parsed);
      if (!result.success) {
        ctx.addIssue({ code: 'custom', message: z.prettifyError(result.error).replaceAll('\n', '; ') });
        return z.NEVER;
      }
      return result.data;
    }),
  /** Live kline streams for every symbol × timeframe, kept open by the worker. */
  STREAMS: z.enum(['on', 'off']).default('on'),
  /**
   * Start a cycle as soon as the streams bring the trigger timeframe's final
   * klines for (nearly) the whole universe; the Schedule stays the safety net
   * and is deduplicated with it (same workflow id). Needs STREAMS=on.
   */
  CLOSE_TRIGGER: z.enum(['on', 'off']).default('on'),
  /**
   * A read of a streamed series that lacks only the candle that just closed
   * waits for its final kline until this many ms after the close (exchange
   * clock), then REST answers; 0: never waits.
   */
  STREAM_FINAL_WAIT_MS: intFrom(0, 30_000, 3_000),
  /**
   * Share of the universe whose final klines start the cycle at once: enough
   * to know the streams serve this close; each batch's read then waits for
   * its own symbols' finals (STREAM_FINAL_WAIT_MS).
   */
  CLOSE_TRIGGER_SHARE: z
    .string()
    .default('0.25')
    .transform((s, ctx) => {
      const n = Number(s);
      if (s.trim() === '' || !(n > 0 && n <= 1)) {
        ctx.addIssue({ code: 'custom', message: `must be a number in (0, 1], got "${s}"` });
        return z.NEVER;
      }
      return n;
    }),
  /** After a close's first final kline, start the cycle anyway this many ms later (the rest from REST). */
  CLOSE_TRIGGER_WAIT_MS: intFrom(0, 60_000, 2_000),
  /** Temporal Schedule cron: minute hour day-of-month month day-of-week (UTC). */
  SCAN_CRON: z.string().default('*/5 * * * *'),
  /** Seconds after the cron minute the cycle starts, so the 5m candle has closed. */
  SCAN_OFFSET_SECONDS: intFrom(0, 59, 5),
  /**
   * The signal ledger's database: postgres:// (or postgresql://) for
   * PostgreSQL; unset, an SQLite file under DATA_DIR (embedded, no server).
   */
  DATABASE_URL: serverUrl('postgres', 'postgresql').optional(),
  /** Cycle reports and resolved signals older than this are deleted from the ledger. */
  LEDGER_RETENTION_DAYS: intFrom(1, 3650, 90),
  /** An open signal expires after this many candles of the trigger timeframe (48 × 5m: four hours). */
  SIGNAL_EXPIRY_CANDLES: intFrom(1, 10_000, 48),
  /** Where the ledger's SQLite file (unless DATABASE_URL), `npm start`'s dev server database and logs are kept. */
  DATA_DIR: z.string().min(1).default('.data'),
  /**
   * V8 old-space limit of a worker process, in MB (passed as --max-old-space-size
   * by whatever launches the worker). Without it V8 sizes the heap from the
   * machine's memory and lets garbage pile up to several hundred MB.
   */
  WORKER_HEAP_MB: intFrom(96, 65_536, 192),
  /** The worker's Prometheus endpoint (/metrics: the product's and the Temporal SDK's); 0 turns it off. */
  METRICS_PORT: intFrom(0, 65_535, 9464),
  /** Where it listens: loopback unless a scraper elsewhere needs it. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** The dashboard's address (`npm start`, `npm run dashboard`); loopback unless a token guards it. */
  DASHBOARD_HOST: z.string().min(1).default('127.0.0.1'),
  DASHBOARD_PORT: intFrom(0, 65_535, 8080),
  /** Required on every dashboard request when set (Authorization: Bearer, or ?token= for the page's events). */
  DASHBOARD_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** The alerts file (YAML or JSON, README "Alerts"): destinations, their filters; secrets as ${VAR}. */
  ALERTS_FILE: readableFile.optional(),
  /** The same document as inline JSON, instead of a file. */
  ALERTS: z.string().optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** json, pretty (human-readable lines), or auto: pretty when stderr is a terminal. */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
});

export type Config = z.infer<typeof envSchema> & {
  /** The alert destinations of ALERTS_FILE or ALERTS, secrets read from the environment. */
  alerts: AlertsConfig;
};

/** Parses the environment; throws a ConfigError naming the first bad variable. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Record<string, string | undefined> = {},
  { requireExchangeUrl = true } = {},
): Config {
  const source: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = overrides[key] ?? env[key];
    if (value !== undefined && value !== '') source[key] = value;
  }
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.') || 'configuration'}: ${issue.message}`);
  }
  const config: Config = { ...result.data, alerts: loadAlerts(result.data, { ...env, ...overrides }) };
  if (requireExchangeUrl && config.EXCHANGE === 'simulator' && !config.EXCHANGE_URL) {
    throw new ConfigError(
      "EXCHANGE_URL: required when EXCHANGE=simulator (the simulator's base URL, e.g. http://127.0.0.1:8080)",
    );
  }
  if (Boolean(config.TEMPORAL_TLS_CERT) !== Boolean(config.TEMPORAL_TLS_KEY))
    throw new ConfigError('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: give both (mTLS) or neither');
  if (
    config.TEMPORAL_TLS === 'off' &&
    (config.TEMPORAL_TLS_CA || config.TEMPORAL_TLS_CERT || config.TEMPORAL_TLS_SERVER_NAME)
  )
    throw new ConfigError('TEMPORAL_TLS: off, but TLS files or a server name are set');
  // An open signal is followed on the series the store holds: it must reach back past the expiry.
  if (config.SCAN_CANDLE_LIMIT <= config.SIGNAL_EXPIRY_CANDLES + 1)
    throw new ConfigError(
      `SIGNAL_EXPIRY_CANDLES: ${config.SIGNAL_EXPIRY_CANDLES} must be below SCAN_CANDLE_LIMIT − 1 (${config.SCAN_CANDLE_LIMIT - 1}): signals are followed on the candles the store holds`,
    );
  if (config.REDIS_TLS_CA && !config.REDIS_URL.startsWith('rediss:'))
    throw new ConfigError('REDIS_TLS_CA: needs a rediss:// REDIS_URL');
  if (!config.DASHBOARD_TOKEN && !isLoopback(config.DASHBOARD_HOST))
    throw new ConfigError(
      `DASHBOARD_HOST: ${config.DASHBOARD_HOST} is reachable from other machines: set DASHBOARD_TOKEN, or bind 127.0.0.1`,
    );
  validateCron(config.SCAN_CRON);
  return config;
}

/** The alerts document of ALERTS_FILE (YAML, of which JSON is a part) or ALERTS (JSON), validated. */
function loadAlerts(
  config: Pick<Config, 'ALERTS' | 'ALERTS_FILE'>,
  env: Record<string, string | undefined>,
): AlertsConfig {
  if (config.ALERTS && config.ALERTS_FILE)
    throw new ConfigError('ALERTS and ALERTS_FILE: give one or the other');
  const source = config.ALERTS_FILE ? 'ALERTS_FILE' : 'ALERTS';
  const text = config.ALERTS_FILE ? readFileSync(config.ALERTS_FILE, 'utf8') : config.ALERTS;
  if (text === undefined) return NO_ALERTS;
  let document: unknown;
  try {
    document = config.ALERTS_FILE ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    // Where, never what: the parsers quote the text around the fault, which may be a secret pasted in.
    const at = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    throw new ConfigError(
      `${source}: not valid ${config.ALERTS_FILE ? 'YAML' : 'JSON'}${at ? ` (line ${at.line}, column ${at.col})` : ''}`,
    );
  }
  return parseAlerts(document, env, source);
}

/** Where a cycle's page is in the Web UI. */
export function cycleUrl(
  config: Pick<Config, 'TEMPORAL_NAMESPACE' | 'TEMPORAL_UI_URL' | 'TEMPORAL_UI_PORT'>,
  cycleId: string,
): string {
  const base = (config.TEMPORAL_UI_URL ?? `http://localhost:${config.TEMPORAL_UI_PORT}`).replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(cycleId)}`;
}

/** 127.0.0.0/8, ::1 and localhost: an address only this machine reaches. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** TLS for a rediss:// URL whose server certificate comes from REDIS_TLS_CA (else the system roots vouch). */
export interface RedisTls {
  ca: Buffer;
}

export function redisTls(config: Pick<Config, 'REDIS_TLS_CA'>): RedisTls | undefined {
  return config.REDIS_TLS_CA ? { ca: readFileSync(config.REDIS_TLS_CA) } : undefined;
}

/** A URL fit for a log line or a message: any password replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Checked at start (cron-parser) so a bad spec fails here, not later at the Temporal server. */
export function validateCron(spec: string): void {
  const fields = spec.trim().split(/\s+/);
  if (fields.length !== 5)
    throw new ConfigError(`SCAN_CRON: "${spec}" must have 5 fields (minute hour day month weekday)`);
  try {
    CronExpressionParser.parse(spec);
  } catch (error) {
    throw new ConfigError(`SCAN_CRON: "${spec}": ${(error as Error).message}`);
  }
}
