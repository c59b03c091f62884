// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { WORKFLOW_FILES, workflowRules } from './eslint/workflow-rules.js';

// The layering of src/ (imports only go down, no cycles) is checked by
// dependency-cruiser (.dependency-cruiser.cjs), the second half of `npm run lint`.
export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'dist/', 'test-artifacts/', 'coverage/', '.tmp-probe/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
    },
  },
  { files: WORKFLOW_FILES, rules: workflowRules },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
);
