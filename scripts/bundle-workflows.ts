// Part of `npm run build`: bundles the workflow code once, next to the
// compiled worker, so that a worker does not run webpack at every start
// (about 100 MB of RSS it never gives back, and a second of CPU).
import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_PATH, WORKFLOWS_PATH } from '../src/worker/workflow-source.js';

const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger() });
await writeFile(WORKFLOW_BUNDLE_PATH, code);

function quietLogger() {
  const none = () => {};
  return { trace: none, debug: none, info: none, log: none, warn: console.warn, error: console.error };
}
