import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Crash, fault and soak scenarios: `npm run test:chaos` (vitest.chaos.config.ts).
    exclude: ['test/chaos/**', 'node_modules/**'],
    // Integration tests start real servers (Temporal, the simulator) on a
    // 2-core machine: run files one at a time so timings stay meaningful.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    setupFiles: ['test/setup.ts'],
  },
});
