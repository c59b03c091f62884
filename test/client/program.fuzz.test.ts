import { describe, expect, it } from 'vitest';
import { buildClientProgram, type ClientHandlers } from '../../src/client/program.js';
import { SUPPORTED_TIMEFRAMES } from '../../src/core/timeframes.js';
import { lcg } from '../analysis/candle-fixtures.js';

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/**
 * Random command lines thrown at the client's parser: each either reaches
 * exactly one handler with validated options, or ends with one line on
 * stderr and exit code 2 (0 for help); nothing else, and nothing started.
 */
describe('client command line under random input', () => {
  const random = lcg(424242);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const junk = () => {
    const alphabet = Array.from('abcXYZ019_-.,/=: \u00e9\u4e2d\ud83d\ude00');
    return Array.from({ length: Math.floor(random() * 10) }, () => pick(alphabet)).join('');
  };
  const token = () =>
    pick([
      'scan',
      'schedule',
      'status',
      'cycles',
      'report',
      'indicators',
      'frobnicate',
      '--symbols',
      '--timeframes',
      '--timeframe',
      '--symbol',
      '--limit',
      '--batch-size',
      '--json',
      '--detach',
      '--wait',
      '--nope',
      '-x',
      '--',
      'BTCUSDT,ETHUSDT',
      ',',
      '1h,15m,5m',
      '7m',
      '1h,1h',
      '0',
      '1',
      '64',
      '99',
      '1000',
      '100000',
      '-5',
      '1e3',
      '2.5',
      'latest',
      'create',
      junk(),
      '',
    ]);

  it('validates every option that reaches a command, and refuses the rest in one line with exit 2', async () => {
    const outcomes = { handled: 0, refused: 0 };
    for (let round = 0; round < 3000; round++) {
      const argv = Array.from({ length: 1 + Math.floor(random() * 6) }, token);
      if (argv.includes('--help') || argv.includes('-h')) continue;
      const calls: Array<{ command: string; args: unknown[] }> = [];
      const record =
        (command: string) =>
        (...args: unknown[]) => {
          calls.push({ command, args });
          return Promise.resolve();
        };
      const handlers = Object.fromEntries(
        ['scan', 'schedule', 'status', 'cycles', 'report', 'indicators'].map((c) => [c, record(c)]),
      ) as unknown as ClientHandlers;
      let stderr = '';
      const program = buildClientProgram(handlers, {
        writeOut: () => {},
        writeErr: (text) => (stderr += text),
        exit: (code) => {
          throw new Exit(code);
        },
      });
      const label = JSON.stringify(argv);
      try {
        await program.parseAsync(argv, { from: 'user' });
      } catch (error) {
        expect(error, label).toBeInstanceOf(Exit);
        const code = (error as Exit).code;
        expect(calls, label).toEqual([]);
        if (code === 0) continue; // help for a command with no arguments
        expect(code, label).toBe(2);
        expect(stderr, label).toMatch(/^client: [^\n]+\n$/);
        outcomes.refused++;
        continue;
      }
      if (calls.length === 0) {
        // No command at all prints the help (commander exits 1 → 2) and is counted above; nothing to check here.
        continue;
      }
      expect(calls, label).toHaveLength(1);
      outcomes.handled++;
      const [{ command, args }] = calls as [{ command: string; args: unknown[] }];
      const opts = args.at(-1) as Record<string, unknown>;
      if (command === 'scan') {
        if (opts.batchSize !== undefined)
          expect(opts.batchSize).toSatisfy((n: number) => Number.isInteger(n) && n >= 1 && n <= 1000);
        if (opts.limit !== undefined)
          expect(opts.limit).toSatisfy((n: number) => Number.isInteger(n) && n >= 60 && n <= 1500);
        if (opts.timeframes !== undefined) {
          expect((opts.timeframes as string[]).length).toBeGreaterThan(0);
          for (const t of opts.timeframes as string[]) expect(SUPPORTED_TIMEFRAMES).toContain(t);
        }
        if (opts.symbols !== undefined) {
          expect((opts.symbols as string[]).length).toBeGreaterThan(0);
          for (const s of opts.symbols as string[]) expect(s.trim()).toBe(s);
        }
      }
      if (command === 'cycles')
        expect(opts.limit).toSatisfy((n: number) => Number.isInteger(n) && n >= 1 && n <= 1000);
      if (command === 'indicators') expect(SUPPORTED_TIMEFRAMES).toContain(opts.timeframe);
    }
    expect(outcomes.handled).toBeGreaterThan(100);
    expect(outcomes.refused).toBeGreaterThan(500);
  });
});
