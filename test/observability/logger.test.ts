import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';

// A process that logs one line through the product's logger, format chosen by LOG_FORMAT (auto by default).
const SNIPPET = `
import { createLogger } from './src/observability/logger.ts';
const log = createLogger('info', 'worker', process.env.LOG_FORMAT ?? 'auto');
log.info({ cycleId: 'scan-adhoc-x', symbol: 'BTC/USDT:USDT' }, 'cycle started');
`;
const node = `${process.execPath} --import tsx --input-type=module -e "${SNIPPET.replace(/\n/g, ' ').replace(/"/g, '\\"')}"`;

describe('logs', () => {
  it('are JSON lines with their ids when stderr is not a terminal', () => {
    const out = execFileSync('sh', ['-c', `${node} 2>&1`], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    const line = JSON.parse(out.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 30,
      name: 'worker',
      msg: 'cycle started',
      cycleId: 'scan-adhoc-x',
      symbol: 'BTC/USDT:USDT',
    });
  });

  it('are readable lines on a terminal (a pseudo-terminal from script(1))', () => {
    const out = execFileSync('script', ['-qec', node, '/dev/null'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    // eslint-disable-next-line no-control-regex
    const plain = out.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(worker\/\d+\): cycle started/m);
    expect(plain).toMatch(/cycleId: "scan-adhoc-x"/);
    expect(plain).not.toMatch(/^\{/m);
  });
});
