import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // The generators this package ships are tested beside them.
      include: ['src/**/*.test.ts', '../../generators/**/*.test.ts'],
      // The spawn tests run the built bin, so build once before any test file runs.
      globalSetup: ['./src/test-support/build.ts'],
      // Tests that put a fake package manager on PATH get the real PATH back afterwards.
      unstubEnvs: true,
      tags: [
        {
          name: 'slow',
          description: 'Publishes the CLI and the runtime to a local registry, generates every kind from it outside the repo, installs, builds, tests and releases it.',
          timeout: 60 * 60 * 1000,
        },
      ],
    },
  }),
);
