import { createHash, pbkdf2Sync } from 'node:crypto';
import { InteropError as RuntimeInteropError } from '@interop-module/runtime';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InteropError, backend, close, deriveKey, hash, hashSync } from '../lib/index.js';
import { propertyRuns, randomData } from './random.js';

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
const pbkdf2 = (password: string | Uint8Array, salt: Uint8Array, iterations: number) =>
  new Uint8Array(pbkdf2Sync(password, salt, iterations, 32, 'sha256'));

const sizes = { '0 B': 0, '1 B': 1, '64 KiB': 64 * 1024, '1 MiB': 1024 * 1024 };

afterAll(() => close());

function expectInvalidArg(error: unknown, argumentName: string) {
  expect(error).toBeInstanceOf(InteropError);
  expect((error as InteropError).code).toBe('ERR_INVALID_ARG');
  expect((error as InteropError).message).toContain(argumentName);
}

describe(`the ${backend} backend`, () => {
  it('re-exports the runtime InteropError, so instanceof works across packages', () => {
    expect(InteropError).toBe(RuntimeInteropError);
  });

  describe.each(Object.entries(sizes))('on %s of random data', (_label, size) => {
    const data = randomData(size);
    it('hashSync equals node:crypto', () => {
      expect(hashSync(data)).toEqual(sha256(data));
    });
    it('hash equals node:crypto', async () => {
      expect(await hash(data)).toEqual(sha256(data));
    });
  });

  it('hashes Buffers and views into larger buffers by their own bytes only', async () => {
    const backing = randomData(4096);
    const view = backing.subarray(1000, 3000);
    expect(hashSync(view)).toEqual(sha256(view));
    expect(await hash(view)).toEqual(sha256(view));
    const buffer = Buffer.from(backing.buffer, 17, 100);
    expect(hashSync(buffer)).toEqual(sha256(buffer));
  });

  it('deriveKey equals node:crypto pbkdf2 for string and byte passwords', async () => {
    const salt = randomData(16);
    expect(await deriveKey('correct horse', salt, 1000)).toEqual(pbkdf2('correct horse', salt, 1000));
    expect(await deriveKey('пароль ✓', salt, 1)).toEqual(pbkdf2('пароль ✓', salt, 1));
    const bytes = randomData(64);
    expect(await deriveKey(bytes, salt, 2048)).toEqual(pbkdf2(bytes, salt, 2048));
    const shortestSalt = randomData(8);
    expect(await deriveKey('', shortestSalt, 1)).toEqual(pbkdf2('', shortestSalt, 1));
  });
});

describe('properties', () => {
  const anything = fc.oneof(
    fc.anything(),
    fc.uint8Array({ maxLength: 256 }),
    fc.string({ maxLength: 64 }),
    fc.integer(),
    fc.double(),
    fc.constantFrom(null, undefined, new ArrayBuffer(8), [1, 2, 3], new Uint16Array(4)),
  );

  it('hashSync returns the digest of any Uint8Array and ERR_INVALID_ARG for anything else', () => {
    fc.assert(
      fc.property(anything, (value) => {
        if (value instanceof Uint8Array) {
          expect(hashSync(value)).toEqual(sha256(value));
          return;
        }
        try {
          hashSync(value as Uint8Array);
        } catch (error) {
          expectInvalidArg(error, 'data');
          return;
        }
        throw new Error('hashSync accepted a value that is not a Uint8Array');
      }),
      { numRuns: propertyRuns },
    );
  });

  it('hash resolves the digest of any Uint8Array and rejects anything else with ERR_INVALID_ARG', async () => {
    await fc.assert(
      fc.asyncProperty(anything, async (value) => {
        const outcome = hash(value as Uint8Array).then(
          (digest) => ({ digest }),
          (error: unknown) => ({ error }),
        );
        const settled = await outcome;
        if (value instanceof Uint8Array) expect(settled).toEqual({ digest: sha256(value) });
        else expectInvalidArg((settled as { error: unknown }).error, 'data');
      }),
      { numRuns: propertyRuns },
    );
  });

  it('deriveKey matches node:crypto on valid input and names the bad argument otherwise', async () => {
    const password = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.uint8Array({ maxLength: 40 }),
      fc.string({ minLength: 1025, maxLength: 1100 }),
      anything,
    );
    const salt = fc.oneof(fc.uint8Array({ minLength: 8, maxLength: 32 }), fc.uint8Array({ maxLength: 1100 }), anything);
    const iterations = fc.oneof(
      fc.integer({ min: 1, max: 50 }),
      fc.integer(),
      fc.constantFrom(0, -1, 1.5, Number.NaN, Infinity, 10_000_001, '100', null),
    );
    await fc.assert(
      fc.asyncProperty(password, salt, iterations, async (p, s, n) => {
        const settled = await deriveKey(p as string, s as Uint8Array, n as number).then(
          (key) => ({ key }),
          (error: unknown) => ({ error }),
        );
        const passwordOk =
          (typeof p === 'string' && Buffer.byteLength(p) <= 1024) || (p instanceof Uint8Array && p.length <= 1024);
        const saltOk = s instanceof Uint8Array && s.length >= 8 && s.length <= 1024;
        const iterationsOk = typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 10_000_000;
        if (passwordOk && saltOk && iterationsOk) {
          expect(settled).toEqual({ key: pbkdf2(p as string | Uint8Array, s as Uint8Array, n as number) });
        } else {
          const firstBad = !passwordOk ? 'password' : !saltOk ? 'salt' : 'iterations';
          expectInvalidArg((settled as { error: unknown }).error, firstBad);
        }
      }),
      { numRuns: propertyRuns },
    );
  });

  it('rejects malformed call options with ERR_INVALID_ARG', async () => {
    const badOptions = fc.oneof(
      fc.constantFrom(null, 5, 'fast', { signal: {} }, { timeoutMs: -1 }, { timeoutMs: Number.NaN }, { timeoutMs: '10' }),
      fc.record({ timeoutMs: fc.oneof(fc.string(), fc.integer({ max: -1 }), fc.constant(Infinity)) }),
    );
    await fc.assert(
      fc.asyncProperty(badOptions, async (options) => {
        const data = randomData(8);
        await expect(hash(data, options as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
        await expect(deriveKey('pw', data, 1, options as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
      }),
      { numRuns: Math.min(propertyRuns, 1000) },
    );
  });
});

describe('call options', () => {
  const salt = randomData(16);

  it('an already aborted signal rejects with ERR_ABORTED', async () => {
    const signal = AbortSignal.abort();
    await expect(hash(randomData(10), { signal })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await expect(deriveKey('pw', salt, 10, { signal })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });

  it('aborting a long deriveKey rejects with ERR_ABORTED well before it could finish', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const call = deriveKey('pw', salt, 10_000_000, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(call).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    // 10M iterations take seconds on any machine; the rejection must come from the abort, not the result.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a long deriveKey past timeoutMs rejects with ERR_TIMEOUT', async () => {
    await expect(deriveKey('pw', salt, 10_000_000, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
  });

  it('a generous timeout and a live signal do not change the result', async () => {
    const options = { timeoutMs: 60_000, signal: new AbortController().signal };
    const data = randomData(1000);
    expect(await hash(data, options)).toEqual(sha256(data));
    expect(await deriveKey('pw', salt, 100, options)).toEqual(pbkdf2('pw', salt, 100));
  });

  it('close can be called more than once', async () => {
    await close();
    await close();
  });
});
