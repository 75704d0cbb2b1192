import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS, checkData, checkDeriveKeyArguments, checkIterations, checkPassword, checkSalt } from './contract-args.js';
import { isInteropError } from './errors.js';

function expectInvalid(check: () => unknown, argumentName: string) {
  try {
    check();
  } catch (error) {
    expect(isInteropError(error, 'ERR_INVALID_ARG')).toBe(true);
    expect((error as Error).message).toContain(argumentName);
    return;
  }
  throw new Error(`expected ${argumentName} to be rejected`);
}

describe('contract argument checks', () => {
  it('accept values inside the contract bounds', () => {
    expect(checkData(new Uint8Array(0))).toHaveLength(0);
    expect(checkData(Buffer.from('abc'))).toHaveLength(3);
    expect(checkPassword('pässword')).toEqual(new TextEncoder().encode('pässword'));
    expect(checkPassword(new Uint8Array(LIMITS.maxPasswordBytes))).toHaveLength(LIMITS.maxPasswordBytes);
    expect(checkSalt(new Uint8Array(LIMITS.minSaltBytes))).toHaveLength(8);
    expect(checkSalt(new Uint8Array(LIMITS.maxSaltBytes))).toHaveLength(1024);
    expect(checkIterations(1)).toBe(1);
    expect(checkIterations(LIMITS.maxIterations)).toBe(LIMITS.maxIterations);
  });

  it('reject values at the edges, naming the argument', () => {
    expectInvalid(() => checkData(new Uint8Array(LIMITS.maxDataBytes + 1)), 'data');
    expectInvalid(() => checkData(new ArrayBuffer(4)), 'data');
    expectInvalid(() => checkPassword('é'.repeat(513)), 'password');
    expectInvalid(() => checkSalt(new Uint8Array(7)), 'salt');
    expectInvalid(() => checkSalt(new Uint8Array(1025)), 'salt');
    expectInvalid(() => checkIterations(0), 'iterations');
    expectInvalid(() => checkIterations(LIMITS.maxIterations + 1), 'iterations');
    expectInvalid(() => checkIterations(1.5), 'iterations');
    expectInvalid(() => checkIterations(Number.NaN), 'iterations');
  });

  it('only ever throw ERR_INVALID_ARG for any non-conforming value', () => {
    const checks: Array<[(value: unknown) => unknown, string, (value: unknown) => boolean]> = [
      [checkData, 'data', (v) => v instanceof Uint8Array],
      [checkPassword, 'password', (v) => typeof v === 'string' ? Buffer.byteLength(v) <= 1024 : v instanceof Uint8Array && v.length <= 1024],
      [checkSalt, 'salt', (v) => v instanceof Uint8Array && v.length >= 8 && v.length <= 1024],
      [checkIterations, 'iterations', (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 10_000_000],
    ];
    const anyValue = fc.oneof(fc.anything(), fc.uint8Array({ maxLength: 1100 }), fc.string({ maxLength: 1100 }), fc.double(), fc.integer());
    for (const [check, name, conforms] of checks) {
      fc.assert(
        fc.property(anyValue, (value) => {
          if (conforms(value)) expect(() => check(value)).not.toThrow();
          else expectInvalid(() => check(value), name);
        }),
        { numRuns: 2000 },
      );
    }
  });

  it('deriveKey arguments: checked in order, the bytes copied so the caller may reuse its buffers at once', () => {
    const password = Buffer.from('correct horse');
    const salt = new Uint8Array(16).fill(7);
    const checked = checkDeriveKeyArguments(password, salt, 1000);
    password.fill(0);
    salt.fill(0);
    expect(checked).toEqual({ password: new TextEncoder().encode('correct horse'), salt: new Uint8Array(16).fill(7), iterations: 1000 });
    expect(checkDeriveKeyArguments('pässword', salt, 1).password).toEqual(new TextEncoder().encode('pässword'));
    // The first bad argument is the one named, as each kind reported it before.
    expectInvalid(() => checkDeriveKeyArguments(42, new Uint8Array(1), 0), 'password');
    expectInvalid(() => checkDeriveKeyArguments('pw', new Uint8Array(1), 0), 'salt');
    expectInvalid(() => checkDeriveKeyArguments('pw', salt, 0), 'iterations');
  });
});
