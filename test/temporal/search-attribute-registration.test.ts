import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import {
  devServerSearchAttributeFlags,
  ensureSearchAttributes,
} from '../../src/temporal/search-attribute-registration.js';
import { startLocalTemporal } from '../helpers/temporal-env.js';

describe('the cycle search attributes', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    // A server that has none of them, like a fresh cluster.
    env = await startLocalTemporal({ bare: true });
  }, 60_000);
  afterAll(async () => {
    await env?.teardown();
  });

  it('are registered by the worker where missing, once', async () => {
    const operator = env.connection.operatorService;
    expect(await ensureSearchAttributes(operator, 'default')).toEqual([
      'ScanTrigger',
      'ScanStatus',
      'ScanSymbolsScanned',
      'ScanSymbolsFailed',
      'ScanSignals',
      'ScanCloseToReport',
    ]);
    expect(await ensureSearchAttributes(operator, 'default')).toEqual([]);
    const listed = await operator.listSearchAttributes({ namespace: 'default' });
    expect(Object.keys(listed.customAttributes ?? {})).toEqual(
      expect.arrayContaining(['ScanStatus', 'ScanSignals']),
    );
  });

  it('fail the start with the commands to run where the cluster refuses to register them', async () => {
    const refusing = {
      listSearchAttributes: () => Promise.resolve({ customAttributes: { ScanTrigger: 2 } }),
      addSearchAttributes: () => Promise.reject(new Error('7 PERMISSION_DENIED: Request unauthorized.')),
    };
    const failure = ensureSearchAttributes(refusing, 'prod');
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(
      /cannot register search attributes ScanStatus, ScanSymbolsScanned, ScanSymbolsFailed, ScanSignals, ScanCloseToReport \(7 PERMISSION_DENIED: Request unauthorized.\); register them once: temporal operator search-attribute create --namespace prod --name ScanStatus --type KEYWORD; /,
    );
  });

  it('are given to the embedded dev server as start flags', () => {
    expect(devServerSearchAttributeFlags()).toEqual([
      '--search-attribute',
      'ScanTrigger=KEYWORD',
      '--search-attribute',
      'ScanStatus=KEYWORD',
      '--search-attribute',
      'ScanSymbolsScanned=INT',
      '--search-attribute',
      'ScanSymbolsFailed=INT',
      '--search-attribute',
      'ScanSignals=INT',
      '--search-attribute',
      'ScanCloseToReport=DOUBLE',
    ]);
  });
});
