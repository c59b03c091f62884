import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root, wherever the process was started from. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
