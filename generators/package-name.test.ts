import { describe, expect, test } from 'vitest';
import * as packageName from './package-name.js';

describe('generators/package-name.js', () => {
  test.each([
    ['fast-hash', 'fast_hash'],
    ['a.b-c', 'a_b_c'],
    ['3d', '_3d'],
    ['match', 'match_'],
    ['test', 'test_'],
    ['std', 'std_'],
  ])('crate name of %j is %j', (binaryName, crateName) => {
    expect(packageName.crateNameOf(binaryName)).toBe(crateName);
  });

  test('binary name drops the scope only', () => {
    expect(packageName.binaryNameOf('@acme/fast-hash')).toBe('fast-hash');
    expect(packageName.binaryNameOf('fast-hash')).toBe('fast-hash');
  });
});
