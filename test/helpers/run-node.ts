import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/config.js';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command in the project as a user would, collecting its output and exit code. */
export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One of the project's TypeScript entry points (src/worker.ts, src/client.ts, …) from sources. */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return runCommand(process.execPath, ['--import', 'tsx', script, ...args], env);
}
