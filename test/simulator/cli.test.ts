import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { listeningAddresses } from '../helpers/listening.js';

const TSX = `${PROJECT_ROOT}/node_modules/.bin/tsx`;
const MAIN = 'src/sim.ts';

describe('npm run sim', () => {
  it('prints its base URL on one line once it accepts connections, and stops on SIGTERM', async () => {
    const child = spawn(
      'npm',
      ['run', '--silent', 'sim', '--', '--port', '0', '--symbols', '12', '--latency-ms', '0'],
      {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
        // Its own process group, so the test can stop npm, the shell and node at once as Ctrl-C does.
        detached: true,
      },
    );
    const lines = createInterface({ input: child.stdout });
    const firstLine = await new Promise<string>((resolve) => lines.once('line', resolve));
    expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const info = (await (await fetch(`${firstLine}/fapi/v1/exchangeInfo`)).json()) as { symbols: unknown[] };
    expect(info.symbols.length).toBe(12 + 5);
    // Loopback only by default (its admin endpoints also refuse any other peer).
    expect(listeningAddresses(Number(new URL(firstLine).port))).toEqual(['127.0.0.1']);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    await new Promise((r) => setTimeout(r, 500));
    await expect(fetch(`${firstLine}/fapi/v1/ping`)).rejects.toThrow();
  });

  it.each([
    [['--symbols', 'many'], /--symbols.*not a number/],
    [['--port', '70000'], /--port/],
    [['--error-rate', '2'], /--error-rate.*between 0 and 1/],
    [['--start-time', 'yesterday'], /--start-time: not a date/],
    [['--bogus'], /unknown option '--bogus'/],
  ])('refuses %j with a one-line error and a non-zero exit', (args, message) => {
    const result = spawnSync(TSX, [MAIN, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    const stderr = result.stderr.trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});
