import { accessSync, constants } from 'node:fs';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { DEFAULT_RULE_PARAMS } from './analysis/params.js';
import { ConfigError } from './errors.js';
import { parseTimeframes } from './scan/timeframes.js';
import { DEFAULT_TASK_QUEUE } from './scan/task-queue.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_CANDLE_LIMIT } from './scan/types.js';

/**
 * The one configuration, read from the environment (documented in the
 * README) with command-line flags on top, validated once at start. A bad
 * value stops the process with a one-line message naming the variable.
 */
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

const redisUrl = z
  .string()
  .default('redis://127.0.0.1:6379')
  .refine((s) => {
    try {
      const url = new URL(s);
      return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a redis:// or rediss:// URL with a host');

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

const period = z.number().int().min(1).max(500);
const ruleParamsSchema = z
  .object({
    trendFastEma: period,
    trendSlowEma: period,
    rsiPeriod: period,
    rsiLongMin: z.number().min(50).max(100),
    rsiLongMax: z.number().min(50).max(100),
    breakoutLookback: period,
    triggerEma: period,
    atrPeriod: period,
    stopAtr: z.number().positive().max(100),
    targetAtr: z.number().positive().max(100),
    volumeSpike: z.number().positive().max(1000),
    minScore: z.number().min(0).max(100),
  })
  .partial()
  .strict();

export const envSchema = z.object({
  TEMPORAL_ADDRESS: hostPort,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
  /** Web UI port of the dev server `npm start` starts. */
  TEMPORAL_UI_PORT: intFrom(1, 65_535, 8233),
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
    .default('1h,15m,5m')
    .transform((s, ctx) => {
      try {
        return parseTimeframes(s);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  SCAN_CANDLE_LIMIT: intFrom(60, 1500, DEFAULT_CANDLE_LIMIT),
  SCAN_BATCH_SIZE: intFrom(1, 1000, DEFAULT_BATCH_SIZE),
  /** Concurrent symbols per batch activity. */
  SCAN_FETCH_CONCURRENCY: intFrom(1, 1000, 64),
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
      return { ...DEFAULT_RULE_PARAMS, ...result.data };
    }),
  /** Live kline streams for every symbol × timeframe, kept open by the worker. */
  STREAMS: z.enum(['on', 'off']).default('on'),
  /** Temporal Schedule cron: minute hour day-of-month month day-of-week (UTC). */
  SCAN_CRON: z.string().default('*/5 * * * *'),
  /** Seconds after the cron minute the cycle starts, so the 5m candle has closed. */
  SCAN_OFFSET_SECONDS: intFrom(0, 59, 5),
  REPORTS_KEEP: intFrom(1, 100_000, 200),
  /** Where `npm start` keeps the dev server's SQLite file and the logs of what it starts. */
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
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** json, pretty (human-readable lines), or auto: pretty when stderr is a terminal. */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
});

export type Config = z.infer<typeof envSchema>;

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
  const config = result.data;
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
  if (config.REDIS_TLS_CA && !config.REDIS_URL.startsWith('rediss:'))
    throw new ConfigError('REDIS_TLS_CA: needs a rediss:// REDIS_URL');
  validateCron(config.SCAN_CRON);
  return config;
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
