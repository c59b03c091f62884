/* global process */
// `node --import ./test/helpers/record-imports.mjs …`: appends every module URL
// the process resolves to the file named by RECORD_IMPORTS (one per line), so a
// test can tell which modules a command loaded.
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url, { data: { file: process.env.RECORD_IMPORTS } });
