import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/core/errors.js';

const base = { EXCHANGE_URL: 'http://127.0.0.1:8080' };

describe('configuration', () => {
  it('has defaults for everything but the simulator URL', () => {
    const config = loadConfig({}, base);
    expect(config).toMatchObject({
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'market-scan',
      REDIS_URL: 'redis://127.0.0.1:6379',
      EXCHANGE: 'simulator',
      SCAN_TIMEFRAMES: ['1h', '15m', '5m'],
      SCAN_CANDLE_LIMIT: 99,
      SCAN_BATCH_SIZE: 180,
      SCAN_CRON: '*/5 * * * *',
      SCAN_OFFSET_SECONDS: 5,
    });
    expect(() => loadConfig({}, {})).toThrow(/EXCHANGE_URL: required when EXCHANGE=simulator/);
    expect(loadConfig({ EXCHANGE: 'binanceusdm' }).EXCHANGE_URL).toBeUndefined();
  });

  it('parses lists and numbers', () => {
    const config = loadConfig(
      { SCAN_INCLUDE: 'BTCUSDT, ETHUSDT,', SCAN_MIN_QUOTE_VOLUME: '1e6', SCAN_TIMEFRAMES: '4h,1h' },
      base,
    );
    expect(config.SCAN_INCLUDE).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(config.SCAN_MIN_QUOTE_VOLUME).toBe(1e6);
    expect(config.SCAN_TIMEFRAMES).toEqual(['4h', '1h']);
    const rules = loadConfig({ SCAN_RULES: '{"minScore": 55, "stopAtr": 2}' }, base).SCAN_RULES;
    expect(rules).toMatchObject({ minScore: 55, stopAtr: 2, rsiLongMin: 52, trendSlowEma: 50 });
    expect(loadConfig({ REDIS_URL: 'rediss://user:secret@cache.example:6380' }, base).REDIS_URL).toMatch(
      /^rediss:/,
    );
  });

  it.each([
    [{ SCAN_BATCH_SIZE: '0' }, /^SCAN_BATCH_SIZE: must be a whole number from 1 to 1000, got "0"$/],
    [{ SCAN_BATCH_SIZE: '100000' }, /^SCAN_BATCH_SIZE: /],
    [{ SCAN_BATCH_SIZE: 'many' }, /^SCAN_BATCH_SIZE: /],
    [{ SCAN_CANDLE_LIMIT: '99.5' }, /^SCAN_CANDLE_LIMIT: /],
    [{ SCAN_TIMEFRAMES: '1h,7m' }, /^SCAN_TIMEFRAMES: unsupported timeframe\(s\) 7m/],
    [{ REDIS_URL: 'localhost:6379' }, /^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ REDIS_URL: 'redis://' }, /^REDIS_URL: /],
    [{ TEMPORAL_ADDRESS: 'nope' }, /^TEMPORAL_ADDRESS: must be host:port/],
    [{ EXCHANGE: 'kraken' }, /^EXCHANGE: /],
    [{ EXCHANGE_URL: 'ftp://x' }, /^EXCHANGE_URL: /],
    [{ SCAN_CRON: '*/5 * * *' }, /^SCAN_CRON: .* must have 5 fields/],
    [{ SCAN_CRON: '61 * * * *' }, /^SCAN_CRON: /],
    [{ SCAN_MIN_QUOTE_VOLUME: '-1' }, /^SCAN_MIN_QUOTE_VOLUME: /],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
    [{ SCAN_RULES: '{minScore: 50}' }, /^SCAN_RULES: not JSON/],
    [{ SCAN_RULES: '{"minScore": 500}' }, /^SCAN_RULES: .*minScore/],
    [{ SCAN_RULES: '{"minScor": 50}' }, /^SCAN_RULES: .*minScor/],
    [{ WORKER_HEAP_MB: '10' }, /^WORKER_HEAP_MB: /],
    [{ EXCHANGE_MARKETS_REFRESH_MS: '-1' }, /^EXCHANGE_MARKETS_REFRESH_MS: /],
  ])('refuses %j with a one-line ConfigError', (env, message) => {
    let error: unknown;
    try {
      loadConfig({ ...base, ...env });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
