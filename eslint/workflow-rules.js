// @ts-check
/**
 * Lint rules for workflow code (src/workflows/**). Workflow code is replayed:
 * it must be deterministic, so it may import only what is: Temporal's
 * workflow and common packages, its own folder, and the pure layers below it
 * (core, analysis, contract), plus the types of the activities it calls.
 * An allowlist, so that a new folder is forbidden until someone decides
 * otherwise. test/lint/workflow-imports.test.ts proves the rules fire.
 */
export const WORKFLOW_FILES = ['src/workflows/**/*.ts'];

export const workflowRules = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          regex: String.raw`^(?!@temporalio/(workflow|common)$|\./|\.\./(core|analysis|contract|activities)/).*`,
          message:
            'Workflow code must be deterministic: import only @temporalio/workflow, @temporalio/common, ./ and ../core, ../analysis, ../contract. Do I/O in an activity.',
        },
        {
          regex: String.raw`^\.\./activities/`,
          allowTypeImports: true,
          message: 'Workflows import the types of activities only (`import type`), never their code.',
        },
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
    { name: 'setInterval', message: 'Use sleep() in a loop from @temporalio/workflow.' },
    { name: 'process', message: 'Workflows have no process: pass configuration as input.' },
    { name: 'fetch', message: 'Do I/O in an activity.' },
  ],
};
