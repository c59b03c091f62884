/**
 * @module
 * `temporal server start-dev` flags that the scanner's latency depends on,
 * for every dev server the project starts (npm start, the tests, the
 * benchmark, the chaos suite). docs/performance.md measures each.
 */

/**
 * SQLite in WAL mode: without it every commit of the dev server's single
 * SQLite connection syncs the rollback journal, and the server's CPU per
 * cycle roughly doubles. `synchronous=normal` keeps what the server
 * committed across a crash of the server process; only an OS crash or a
 * power cut can lose the last commits (the dev server is not production).
 */
export const DEV_SERVER_SQLITE_FLAGS = [
  '--sqlite-pragma',
  'journal_mode=wal',
  '--sqlite-pragma',
  'synchronous=normal',
];

/**
 * Eager dispatch, stated rather than assumed (the server's own default has
 * changed between releases): an activity scheduled by a workflow task, and
 * a workflow started by a client that shares a worker's connection, get
 * their first task in the same response, without a trip through matching.
 */
export const DEV_SERVER_EAGER_FLAGS = [
  '--dynamic-config-value',
  'system.enableActivityEagerExecution=true',
  '--dynamic-config-value',
  'system.enableEagerWorkflowStart=true',
];
