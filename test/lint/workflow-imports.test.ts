import { readFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { workflowRules } from '../../eslint/workflow-rules.js';
import { WORKFLOWS_PATH } from '../../src/worker/workflow-source.js';

/** The workflow lint rules of eslint.config.js, on a workflow file of the given text. */
function lintWorkflow(code: string): string[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        rules: workflowRules,
      },
    ],
    { filename: 'src/workflows/example.ts' },
  );
  return messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('workflow code may import only what is deterministic', () => {
  it('allows the SDK, its own folder, core, analysis, contract, and the types of activities', () => {
    expect(
      lintWorkflow(`
        import { proxyActivities, sleep } from '@temporalio/workflow';
        import { ApplicationFailure } from '@temporalio/common';
        import { cycleSettings } from './cycle-input.js';
        import { rankSignals } from '../analysis/rank.js';
        import { CANDLE_LIMIT } from '../core/limits.js';
        import { batchWorkflowId } from '../contract/ids.js';
        import type { Activities } from '../activities/create-activities.js';
        export const used = [proxyActivities, sleep, ApplicationFailure, cycleSettings, rankSignals, CANDLE_LIMIT, batchWorkflowId];
      `),
    ).toEqual([]);
  });

  it.each([
    ["import { readFileSync } from 'node:fs';", 'a Node built-in'],
    ["import { CandleStore } from '../storage/candle-store.js';", 'the storage layer'],
    ["import { MarketClient } from '../exchange/market-client.js';", 'the exchange'],
    ["import { loadConfig } from '../config.js';", 'the configuration (reads the environment and files)'],
    ["import { heartbeat } from '../activities/activity-context.js';", 'activity code'],
    ["import { Client } from '@temporalio/client';", 'the Temporal client'],
    ["import pLimit from 'p-limit';", 'an npm package outside the allowlist'],
    ["import { startWorker } from '../worker/worker-runtime.js';", 'the worker'],
  ])('refuses %s (%s)', (line) => {
    const messages = lintWorkflow(`${line}\nexport const x = 1;`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(
      /^no-restricted-imports: '[^']+' import is restricted .*(Workflow code must be deterministic|Workflows import the types of activities only)/,
    );
  });

  it('refuses timers, process and fetch (use the SDK)', () => {
    const messages = lintWorkflow('export const a = [setTimeout, process, fetch];');
    expect(messages.map((m) => m.split(':')[0])).toEqual([
      'no-restricted-globals',
      'no-restricted-globals',
      'no-restricted-globals',
    ]);
  });

  it("bundles nothing but the workflows, core, analysis, contract and the SDK's workflow packages", async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    const ours = [
      ...new Set([...code.matchAll(/\.\/src\/([a-z-]+)\/[a-z-]+\.ts/g)].map((m) => m[1]!)),
    ].sort();
    expect(ours).toEqual(['analysis', 'contract', 'core', 'workflows']);
    const packages = [
      ...new Set([...code.matchAll(/node_modules\/((?:@[a-z0-9.-]+\/)?[a-z0-9.-]+)\//g)].map((m) => m[1]!)),
    ];
    for (const name of packages)
      expect([
        '@temporalio/common',
        '@temporalio/workflow',
        '@temporalio/proto',
        'long',
        'ms',
        'nexus-rpc',
        'protobufjs',
        'trading-signals',
        'zod',
        'big.js',
        'decimal.js',
        'tslib',
      ]).toContain(name);
    expect(readFileSync(WORKFLOWS_PATH, 'utf8')).toMatch(/export \{ scanMarketWorkflow \}/);
  }, 60_000);
});
