import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';

/** The workflows' entry point in the sources (tests and replay bundle it from here). */
export const WORKFLOWS_PATH = path.join(PROJECT_ROOT, 'src', 'workflows', 'index.ts');

/** Where `npm run build` writes the prebuilt workflow bundle, beside the compiled code. */
export const WORKFLOW_BUNDLE_PATH = path.join(PROJECT_ROOT, 'dist', 'workflow-bundle.js');

/**
 * What a worker runs its workflows from. The compiled worker (dist/, what
 * `npm start`, `npm run worker` and the image run) uses the bundle built with
 * it, so the two always match; a worker started from the sources (tests)
 * bundles them itself.
 */
export function workflowSource(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const compiled = import.meta.url.endsWith('.js');
  return compiled && existsSync(WORKFLOW_BUNDLE_PATH)
    ? { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } }
    : { workflowsPath: WORKFLOWS_PATH };
}
