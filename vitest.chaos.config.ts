import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/** `npm run test:chaos`: crash, fault and soak scenarios on real processes (long; .ci/run runs them). */
export default defineConfig({
  test: { ...base.test, include: ['test/chaos/**/*.chaos.test.ts'], exclude: [], testTimeout: 600_000 },
});
