import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  ERROR_CODES,
  InteropError,
  isErrorCode,
  isInteropError,
  registerErrorCodes,
  toInteropError,
  type InteropErrorCode,
} from './errors.js';

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

describe('registerErrorCodes', () => {
  it("makes a package's codes known to isErrorCode, toInteropError and isInteropError", () => {
    expect(isErrorCode('ERR_TEST_REFUSED')).toBe(false);
    expect(toInteropError(new Error('ERR_TEST_REFUSED: no')).code).toBe('ERR_INTERNAL');

    const [refused, overdrawn] = registerErrorCodes(['ERR_TEST_REFUSED', 'ERR_TEST_OVERDRAWN']);
    expect([refused, overdrawn]).toEqual(['ERR_TEST_REFUSED', 'ERR_TEST_OVERDRAWN']);
    expect(isErrorCode('ERR_TEST_REFUSED')).toBe(true);
    expect(isErrorCode('ERR_TEST_OVERDRAWN')).toBe(true);
    const mapped = toInteropError(new Error('ERR_TEST_REFUSED: the far side said no'));
    expect(mapped).toMatchObject({ code: 'ERR_TEST_REFUSED', message: 'the far side said no' });
    expect(isInteropError(mapped, refused)).toBe(true);
    expect(isInteropError(new InteropError(overdrawn, 'x'), overdrawn)).toBe(true);
  });

  it('takes a code again, so a module that registers may run twice', () => {
    const first = registerErrorCodes(['ERR_TEST_TWICE']);
    expect(registerErrorCodes(['ERR_TEST_TWICE'])).toEqual(first);
    expect(isErrorCode('ERR_TEST_TWICE')).toBe(true);
  });

  it("refuses a malformed code or one of the runtime's own, and then registers none of the list", () => {
    const malformed: unknown[] = ['ERR_', 'err_x', 'ERR_lower', 'E_X', 'ERR_A1', 'ERR_A-B', `ERR_${'X'.repeat(252)}`, 42, null];
    for (const bad of malformed) {
      expect(() => registerErrorCodes(['ERR_TEST_INNOCENT', bad as 'ERR_X'])).toThrowError(
        expect.objectContaining({ code: 'ERR_INVALID_ARG', message: expect.stringContaining('ERR_ followed by capitals') }),
      );
    }
    expect(() => registerErrorCodes(['ERR_TEST_INNOCENT', 'ERR_TIMEOUT'])).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_ARG', message: expect.stringContaining('cannot redefine') }),
    );
    expect(() => registerErrorCodes('ERR_TEST_INNOCENT' as unknown as [])).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_ARG' }),
    );
    expect(isErrorCode('ERR_TEST_INNOCENT')).toBe(false);
    // 255 characters, the most the port's code field and the Rust side's ErrorCode::custom take.
    expect(registerErrorCodes([`ERR_${'X'.repeat(251)}`])).toHaveLength(1);
  });

  it('types its codes as registered, while a misspelt built-in code still fails to compile', () => {
    const [registered] = registerErrorCodes(['ERR_TEST_TYPED']);
    expectTypeOf(registered).toExtend<InteropErrorCode>();
    expectTypeOf<'ERR_TEST_TYPED'>().not.toExtend<InteropErrorCode>();
    expectTypeOf<'ERR_TIMOUT'>().not.toExtend<InteropErrorCode>();
    expectTypeOf<'ERR_TIMEOUT'>().toExtend<InteropErrorCode>();
  });
});

describe('errors from another copy of the runtime', () => {
  // Two packages installed from folders each carry their own runtime: two module instances, two
  // InteropError classes. errors.ts is compiled once and loaded from two directories.
  type ErrorsModule = typeof import('./errors.js');
  let copiesDir = '';
  let a: ErrorsModule;
  let b: ErrorsModule;

  beforeAll(async () => {
    copiesDir = await mkdtemp(path.join(tmpdir(), 'runtime-copies-'));
    const source = await readFile(new URL('./errors.ts', import.meta.url), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    });
    const load = async (copy: string): Promise<ErrorsModule> => {
      const file = path.join(copiesDir, copy, 'errors.mjs');
      await mkdir(path.dirname(file));
      await writeFile(file, outputText);
      return (await import(pathToFileURL(file).href)) as ErrorsModule;
    };
    [a, b] = [await load('a'), await load('b')];
  });

  afterAll(async () => {
    if (copiesDir !== '') await rm(copiesDir, { recursive: true, force: true });
  });

  it('isInteropError, instanceof and toInteropError recognise them, code and all', () => {
    expect(a.InteropError).not.toBe(b.InteropError);
    const fromA = new a.InteropError('ERR_TIMEOUT', 'too slow');
    for (const other of [b, { InteropError, isInteropError, toInteropError }]) {
      expect(other.isInteropError(fromA)).toBe(true);
      expect(other.isInteropError(fromA, 'ERR_TIMEOUT')).toBe(true);
      expect(other.isInteropError(fromA, 'ERR_ABORTED')).toBe(false);
      expect(fromA instanceof other.InteropError).toBe(true);
      expect(other.toInteropError(fromA)).toBe(fromA);
    }
    expect(new InteropError('ERR_ABORTED', 'stop') instanceof a.InteropError).toBe(true);
  });

  it('a subclass still checks its own prototype chain', () => {
    class RetryableError extends a.InteropError {}
    const retryable = new RetryableError('ERR_PORT_CRASHED', 'died');
    expect(retryable instanceof b.InteropError).toBe(true);
    expect(retryable instanceof RetryableError).toBe(true);
    expect(new b.InteropError('ERR_PORT_CRASHED', 'died') instanceof RetryableError).toBe(false);
    expect(new a.InteropError('ERR_PORT_CRASHED', 'died') instanceof RetryableError).toBe(false);
  });

  it('keep a registry each: an error with a registered code is still recognised by every copy', () => {
    a.registerErrorCodes(['ERR_TEST_COPY_A']);
    expect(a.isErrorCode('ERR_TEST_COPY_A')).toBe(true);
    expect(b.isErrorCode('ERR_TEST_COPY_A')).toBe(false);
    const fromA = a.toInteropError(new Error('ERR_TEST_COPY_A: refused'));
    expect(fromA.code).toBe('ERR_TEST_COPY_A');
    expect(b.toInteropError(fromA)).toBe(fromA);
    expect(isInteropError(fromA)).toBe(true);
  });

  it('look-alikes without the brand are not InteropErrors', () => {
    const lookAlike = Object.assign(new Error('x'), { name: 'InteropError', code: 'ERR_TIMEOUT' });
    for (const value of [lookAlike, { name: 'InteropError', code: 'ERR_TIMEOUT' }, Object.create(null), null, 'ERR_TIMEOUT', 42]) {
      expect(isInteropError(value)).toBe(false);
      expect(value instanceof InteropError).toBe(false);
    }
  });
});
