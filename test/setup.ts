import { DefaultLogger, Runtime } from '@temporalio/worker';

// Keep test output readable: the SDK logs every worker state change at INFO.
Runtime.install({ logger: new DefaultLogger('WARN') });
