import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // The slow test runs the built command, so build once before any test file runs.
      globalSetup: ['./src/test-support/build.ts'],
      // One file at a time: the timing tests must not share the cores with each other.
      fileParallelism: false,
      tags: [
        {
          name: 'slow',
          description: 'Runs `--quick` for real: generates (or reuses) and builds a package of each kind, measures, and checks the files.',
          timeout: 60 * 60 * 1000,
        },
      ],
    },
  }),
);
