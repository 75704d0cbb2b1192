import { describe, expect, test } from 'vitest';
import * as templateFiles from './template-files.js';

describe('generators/template-files.js', () => {
  test.each([
    ['node_modules/x/index.js', true],
    ['target/release/lib.so', true],
    ['dist/index.js', true],
    ['addon.linux-x64-gnu.node', true],
    ['runtime-0.1.0.tgz', true],
    ['lib/index.ts', false],
    ['_github/workflows/ci.yml', false],
    ['lib/distance.ts', false],
  ])('%s is build output: %s', (file, expected) => {
    expect(templateFiles.isBuildOutput(file)).toBe(expected);
  });
});
