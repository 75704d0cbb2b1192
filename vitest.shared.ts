import { defineConfig } from 'vitest/config';

/** The one vitest base every workspace package extends with mergeConfig. */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    // Tests spawn children and native builds; surface anything left running instead of hanging.
    teardownTimeout: 10_000,
    reporters: ['default'],
  },
});
