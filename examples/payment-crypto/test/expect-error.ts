import { expect } from 'vitest';
import { InteropError } from '../lib/index.js';

/** Runs `call` and returns what it threw; fails the test if it returned instead. */
export function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, it returned');
}

export function expectInvalidArg(error: unknown, argumentName: string): void {
  expect(error).toBeInstanceOf(InteropError);
  expect(error).toMatchObject({ code: 'ERR_INVALID_ARG', message: expect.stringContaining(argumentName) });
}

/** Every decryption failure looks the same: same class, code and message, whatever went wrong. */
export function expectDecryptFailure(error: unknown): void {
  expect(error).toBeInstanceOf(InteropError);
  expect(error).toMatchObject({ code: 'ERR_DECRYPT', message: 'the message could not be decrypted' });
}
