import { readdirSync, readFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/project-root.js';
import { WORKFLOWS_PATH } from '../../src/runtime/workflow-source.js';
import type { CycleReport } from '../../src/scan/types.js';

/**
 * Histories of real full cycles, recorded into test/fixtures by
 * `RECORD_HISTORY=1 npx vitest run test/e2e`, replayed against the current
 * workflow code: a change that breaks determinism fails here.
 */
describe('replay of recorded cycles', () => {
  const dir = `${PROJECT_ROOT}/test/fixtures`;
  const files = readdirSync(dir).filter((f) => f.endsWith('.history.pb'));

  it('has recorded histories of a cycle and of a batch', () => {
    expect(files).toEqual(expect.arrayContaining(['scan-market.history.pb', 'scan-batch.history.pb']));
  });

  it('include full-size cycles with failures, request retries and activity retries after worker deaths', () => {
    const load = (name: string) =>
      temporal.api.history.v1.History.decode(readFileSync(`${dir}/${name}.history.pb`));
    const result = (history: temporal.api.history.v1.History) => {
      const completed = history.events.find((e) => e.workflowExecutionCompletedEventAttributes);
      const payload = completed!.workflowExecutionCompletedEventAttributes!.result!.payloads![0]!;
      return JSON.parse(Buffer.from(payload.data!).toString()) as CycleReport;
    };
    const faults = result(load('faults-scan-market'));
    expect(faults.symbolsRequested).toBe(530);
    expect(faults.failures.length).toBeGreaterThan(0);
    expect(faults.stats.retries).toBeGreaterThan(0);
    const crashed = load('crash-scan-batch');
    const attempts = crashed.events.map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0);
    expect(Math.max(...attempts)).toBeGreaterThan(1);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    // Binary protobuf, exactly as the server sent it.
    const history = temporal.api.history.v1.History.decode(readFileSync(`${dir}/${file}`));
    expect(history.events.length).toBeGreaterThan(10);
    const workflowId = readFileSync(`${dir}/${file.replace('.history.pb', '.workflow-id')}`, 'utf8').trim();
    await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, replayName: file }, history, workflowId);
  });
});
