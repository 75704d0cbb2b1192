import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One file at a time: the event-loop and leak tests measure this machine, so they must not share it.
    fileParallelism: false,
    // A bound for hangs, not a speed target: the fuzz and property tests make 10,000 round trips each, which
    // took over two minutes on a 2-core machine running four other busy processes.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
