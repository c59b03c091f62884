import type { Linter } from 'eslint';

export const WORKFLOW_FILES: string[];
export const workflowRules: Linter.RulesRecord;
