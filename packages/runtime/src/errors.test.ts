import { describe, expect, it } from 'vitest';
import { ERROR_CODES, InteropError, isErrorCode, isInteropError, toInteropError } from './errors.js';

describe('InteropError', () => {
  it('is an Error with a stable code and a name', () => {
    const error = new InteropError('ERR_TIMEOUT', 'too slow');
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ERR_TIMEOUT');
    expect(error.name).toBe('InteropError');
    expect(error.message).toBe('too slow');
    expect(isInteropError(error)).toBe(true);
    expect(isInteropError(error, 'ERR_TIMEOUT')).toBe(true);
    expect(isInteropError(error, 'ERR_ABORTED')).toBe(false);
    expect(isInteropError(new Error('x'))).toBe(false);
  });

  it('has every contract code exactly once', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(isErrorCode(code)).toBe(true);
    expect(isErrorCode('ERR_NOPE')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });
});

describe('toInteropError', () => {
  it('reads the code a native layer put at the start of the message', () => {
    const mapped = toInteropError(new Error('ERR_NATIVE_PANIC: index out of bounds'));
    expect(mapped.code).toBe('ERR_NATIVE_PANIC');
    expect(mapped.message).toBe('index out of bounds');
    expect(mapped.cause).toBeInstanceOf(Error);
  });

  it('maps napi argument statuses to ERR_INVALID_ARG', () => {
    const napiError = Object.assign(new Error('Failed to convert JavaScript value'), { code: 'NumberExpected' });
    expect(toInteropError(napiError).code).toBe('ERR_INVALID_ARG');
    const invalidArg = Object.assign(new Error('bad'), { code: 'InvalidArg' });
    expect(toInteropError(invalidArg).code).toBe('ERR_INVALID_ARG');
  });

  it('keeps an InteropError as it is', () => {
    const original = new InteropError('ERR_ABORTED', 'stop');
    expect(toInteropError(original)).toBe(original);
  });

  it('turns anything unknown into ERR_INTERNAL, keeping the cause', () => {
    const unknownPrefix = toInteropError(new Error('ERR_MADE_UP: x'));
    expect(unknownPrefix.code).toBe('ERR_INTERNAL');
    const thrownString = toInteropError('boom');
    expect(thrownString.code).toBe('ERR_INTERNAL');
    expect(thrownString.message).toContain('boom');
    expect(toInteropError(null).code).toBe('ERR_INTERNAL');
    const generic = Object.assign(new Error('oops'), { code: 'GenericFailure' });
    expect(toInteropError(generic)).toMatchObject({ code: 'ERR_INTERNAL', cause: generic });
  });
});
