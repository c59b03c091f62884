import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** A process `npm start` owns: its output goes to a log file, and it is stopped on the way out. */
export interface OwnedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<number | string>;
  stop(timeoutMs?: number): Promise<void>;
}

export function spawnOwned(
  name: string,
  command: string,
  args: string[],
  options: { logDir: string; env?: NodeJS.ProcessEnv; cwd?: string; onStdoutLine?: (line: string) => void },
): OwnedProcess {
  mkdirSync(options.logDir, { recursive: true });
  const logFile = path.join(options.logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.pipe(log, { end: false });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    log.write(`${line}\n`);
    options.onStdoutLine?.(line);
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      log.end();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return {
    name,
    child,
    logFile,
    exited,
    async stop(timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves with the first line of output matching `pattern`, or rejects if the process exits first. */
export function waitForLine(
  owned: OwnedProcess,
  pattern: RegExp,
  timeoutMs: number,
  /** Where the line is written: stdout (results) or stderr (our processes' logs). */
  from: 'stdout' | 'stderr' = 'stdout',
): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: owned.child[from]! });
    const timer = setTimeout(
      () => reject(new Error(`${owned.name} did not start within ${timeoutMs} ms (see ${owned.logFile})`)),
      timeoutMs,
    );
    lines.on('line', (line) => {
      if (pattern.test(line)) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    void owned.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${owned.name} exited (${code}) before it was ready (see ${owned.logFile})`));
    });
  });
}
