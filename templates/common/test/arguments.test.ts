import { describe, expect, it } from 'vitest';
import { ARGUMENT_LIMITS, checkBool, checkBytes, checkF64, checkString, checkU32 } from '../lib/arguments.js';

function refusal(check: () => unknown): unknown {
  try {
    check();
  } catch (error) {
    return error;
  }
  throw new Error('the check accepted the value');
}

describe('argument checks of added functions', () => {
  it('pass good values through', () => {
    const bytes = new Uint8Array(3);
    expect(checkBytes('data', bytes)).toBe(bytes);
    expect(checkBytes('data', Buffer.from('abc'))).toEqual(Buffer.from('abc'));
    expect(checkString('text', 'héllo')).toBe('héllo');
    expect(checkString('text', 'a'.repeat(ARGUMENT_LIMITS.maxStringBytes))).toHaveLength(ARGUMENT_LIMITS.maxStringBytes);
    expect(checkU32('count', 0)).toBe(0);
    expect(checkU32('count', 0xffffffff)).toBe(0xffffffff);
    expect(checkF64('ratio', -0)).toBe(-0);
    expect(checkF64('ratio', Number.MAX_VALUE)).toBe(Number.MAX_VALUE);
    expect(checkBool('flag', false)).toBe(false);
  });

  it.each([
    ['data', () => checkBytes('data', 'abc'), 'data must be a Uint8Array, got a string'],
    ['data', () => checkBytes('data', new ArrayBuffer(4)), 'data must be a Uint8Array, got an instance of ArrayBuffer'],
    ['data', () => checkBytes('data', new Uint8Array(ARGUMENT_LIMITS.maxBytes + 1)), `data must be at most ${ARGUMENT_LIMITS.maxBytes} bytes`],
    ['text', () => checkString('text', 7), 'text must be a string, got number 7'],
    ['text', () => checkString('text', '€'.repeat(ARGUMENT_LIMITS.maxStringBytes / 3 + 1)), `text must be at most ${ARGUMENT_LIMITS.maxStringBytes} bytes of UTF-8`],
    ['count', () => checkU32('count', -1), 'count must be an integer from 0 to 4294967295, got number -1'],
    ['count', () => checkU32('count', 2 ** 32), 'count must be an integer from 0 to 4294967295'],
    ['count', () => checkU32('count', 1.5), 'count must be an integer from 0 to 4294967295'],
    ['count', () => checkU32('count', 1n), 'got bigint 1'],
    ['ratio', () => checkF64('ratio', Number.NaN), 'ratio must be a finite number, got number NaN'],
    ['ratio', () => checkF64('ratio', -Infinity), 'ratio must be a finite number'],
    ['flag', () => checkBool('flag', 1), 'flag must be true or false, got number 1'],
    ['flag', () => checkBool('flag', null), 'flag must be true or false, got null'],
  ])('refuse a bad %s with ERR_INVALID_ARG naming it', (_name, check, message) => {
    expect(refusal(check)).toMatchObject({ name: 'InteropError', code: 'ERR_INVALID_ARG', message: expect.stringContaining(message) });
  });
});
