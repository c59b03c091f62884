import { DefaultLogger, Runtime } from '@temporalio/worker';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Keep test output readable: the SDK logs every worker state change at INFO.
Runtime.install({ logger: new DefaultLogger('WARN') });

// Each test file its own ledger (an SQLite file under a fresh DATA_DIR), inherited by the processes it starts,
// so signals of one file never meet another's. A test that gives DATA_DIR or DATABASE_URL itself wins.
process.env.DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'scanner-test-'));
