import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('look-alikes without the brand are not InteropErrors', () => {
    const lookAlike = Object.assign(new Error('x'), { name: 'InteropError', code: 'ERR_TIMEOUT' });
    for (const value of [lookAlike, { name: 'InteropError', code: 'ERR_TIMEOUT' }, Object.create(null), null, 'ERR_TIMEOUT', 42]) {
      expect(isInteropError(value)).toBe(false);
      expect(value instanceof InteropError).toBe(false);
    }
  });
});
