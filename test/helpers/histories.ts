import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { PROJECT_ROOT } from '../../src/config.js';

/**
 * Recorded workflow histories, replayed by test/workflows/replay.test.ts on
 * every run: one folder per generation of the workflow code and payload
 * shapes. A new generation is recorded (RECORD_HISTORY=1) after a deliberate
 * change; the older ones stay, and must keep replaying: a worker upgraded
 * mid-cycle finishes the cycles started before it.
 */
export const HISTORIES_DIR = path.join(PROJECT_ROOT, 'test', 'fixtures', 'histories');

/**
 * v1: November 2026 (hit counts beside `sources`); v2: December 2026, each
 * figure once (`answers`); v3: local activities and the close each cycle
 * serves (the patches LOCAL_ACTIVITIES and DEFAULT_BATCH_SIZE), and since
 * 2026-12-04 the worker's warm-up workflow with its batch
 * (test/e2e/worker-warm-up.test.ts records them).
 */
export const CURRENT_GENERATION = 'v3';

export interface RecordedHistory {
  generation: string;
  name: string;
  workflowId: string;
  history: temporal.api.history.v1.History;
}

/** With RECORD_HISTORY=1, keeps a workflow's history in the current generation under `name`. */
export function recordHistory(
  name: string,
  workflowId: string,
  history: temporal.api.history.v1.IHistory,
): void {
  if (process.env.RECORD_HISTORY !== '1') return;
  const dir = path.join(HISTORIES_DIR, CURRENT_GENERATION);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, `${name}.history.pb`),
    temporal.api.history.v1.History.encode(history).finish(),
  );
  // Replay needs the original workflow id (child ids derive from it).
  writeFileSync(path.join(dir, `${name}.workflow-id`), workflowId);
}

export function recordedHistories(): RecordedHistory[] {
  return readdirSync(HISTORIES_DIR).flatMap((generation) =>
    readdirSync(path.join(HISTORIES_DIR, generation))
      .filter((file) => file.endsWith('.history.pb'))
      .map((file) => {
        const base = path.join(HISTORIES_DIR, generation, file.replace('.history.pb', ''));
        return {
          generation,
          name: file.replace('.history.pb', ''),
          workflowId: readFileSync(`${base}.workflow-id`, 'utf8').trim(),
          // Binary protobuf, exactly as the server sent it.
          history: temporal.api.history.v1.History.decode(readFileSync(`${base}.history.pb`)),
        };
      }),
  );
}
