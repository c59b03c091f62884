import { describe, expect, it } from 'vitest';
import * as errors from '../../src/core/errors.js';
import { ScannerError } from '../../src/core/errors.js';

type ErrorClass = new (message: string, retryAfterMs?: number) => ScannerError;
const classes = Object.entries(errors).filter(
  ([name, value]) => typeof value === 'function' && /^[A-Z]/.test(name),
) as Array<[string, ErrorClass]>;

/** One hierarchy: every error class of the product is a ScannerError, temporary or permanent, named after itself. */
describe('the error hierarchy', () => {
  it('has every exported class under ScannerError, with its temporary flag and its own name', () => {
    const concrete = classes.filter(
      ([name]) =>
        !['ScannerError', 'TemporaryError', 'PermanentError', 'ServiceUnavailableError'].includes(name),
    );
    expect(concrete.length).toBeGreaterThanOrEqual(11);
    for (const [name, ErrorClass] of concrete) {
      const instance = new ErrorClass('x', 1);
      expect(instance, name).toBeInstanceOf(ScannerError);
      expect(typeof instance.temporary, name).toBe('boolean');
      expect(instance.temporary, name).toBe(instance instanceof errors.TemporaryError);
      expect(instance.name, name).toBe(name);
    }
  });

  it('classifies each once: what may pass is temporary, what no retry can fix is permanent', () => {
    const temporary = (e: ScannerError) => e.temporary;
    expect(temporary(new errors.TemporaryExchangeError('503'))).toBe(true);
    expect(temporary(new errors.RateLimitedError('429', 1_000))).toBe(true);
    expect(temporary(new errors.MalformedCandlesError('truncated'))).toBe(true);
    expect(temporary(new errors.CacheUnavailableError('Redis'))).toBe(true);
    // Temporal being down is one of our services being down, not an exchange error.
    expect(new errors.TemporalUnreachableError('x')).not.toBeInstanceOf(errors.TemporaryExchangeError);
    expect(temporary(new errors.TemporalUnreachableError('x'))).toBe(true);
    expect(temporary(new errors.UnknownSymbolError('gone'))).toBe(false);
    expect(temporary(new errors.BadRequestError('-1120'))).toBe(false);
    expect(temporary(new errors.ConfigError('bad'))).toBe(false);
    expect(new errors.CycleNotFoundError('x')).not.toBeInstanceOf(errors.ConfigError);
    expect(temporary(new errors.CycleNotFoundError('x'))).toBe(false);
    expect(new errors.TemporalCliNotFoundError('x')).toBeInstanceOf(errors.ConfigError);
  });
});
