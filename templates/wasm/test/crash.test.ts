import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { operations } from '../lib/abi.js';
import { close, deriveKey, hash, hashSync } from '../lib/index.js';
import { closeCrashBuild, crash, crashBuildUrl, loadCrashBuild, type CrashMode } from '../lib/testing.js';
import { randomData } from './random.js';

const abc = new TextEncoder().encode('abc');
const abcDigest = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const salt = randomData(16);
const crashExports = ['interop_crash_trap', 'interop_crash_hang'];

afterAll(async () => {
  await closeCrashBuild();
  await close();
});

function exportNames(url: URL): string[] {
  return WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(url))).map((entry) => entry.name);
}

describe('traps', () => {
  it('a trap on a pool worker is ERR_WASM_TRAP and the next call works', async () => {
    const crashBuild = await loadCrashBuild();
    await expect(crash('trap')).rejects.toMatchObject({ name: 'InteropError', code: 'ERR_WASM_TRAP' });
    expect(hex((await crashBuild.hash(abc)) as Uint8Array)).toBe(abcDigest);
  });

  it('a trap in-thread drops the instance: the next call runs on a fresh one', async () => {
    const { runner, hashSync: crashBuildHashSync } = await loadCrashBuild();
    expect(hex(crashBuildHashSync(abc))).toBe(abcDigest);
    const before = runner.instantiations;
    expect(() => operations.crashTrap(runner)).toThrow(expect.objectContaining({ code: 'ERR_WASM_TRAP' }));
    expect(runner.memoryBytes).toBe(0);
    expect(hex(crashBuildHashSync(abc))).toBe(abcDigest);
    expect(runner.instantiations).toBe(before + 1);
  });

  it('a storm of 1,000 traps interleaved with good calls: every good call is correct', async () => {
    const crashBuild = await loadCrashBuild();
    const inputs = Array.from({ length: 1000 }, (_, index) => randomData(index % 300));
    let traps = 0;
    for (const [index, data] of inputs.entries()) {
      try {
        operations.crashTrap(crashBuild.runner);
      } catch (error) {
        expect(error).toMatchObject({ code: 'ERR_WASM_TRAP' });
        traps++;
      }
      expect(crashBuild.hashSync(data)).toEqual(hashSync(data));
      // Every 10th round also through the pool, so worker instances are recycled too.
      if (index % 10 === 0) {
        await expect(crash('trap')).rejects.toMatchObject({ code: 'ERR_WASM_TRAP' });
        traps++;
        expect(await crashBuild.hash(data)).toEqual(hashSync(data));
      }
    }
    expect(traps).toBe(1100);
  });
});

describe('hang', () => {
  it.each([
    ['timeoutMs', () => ({ timeoutMs: 100 }), 'ERR_TIMEOUT'],
    ['AbortSignal', () => ({ signal: AbortSignal.timeout(100) }), 'ERR_ABORTED'],
  ] as const)('a hung call ends by %s within 100 ms of it, and the pool keeps serving', async (_how, options, code) => {
    const crashBuild = await loadCrashBuild();
    const started = performance.now();
    await expect(crash('hang', options())).rejects.toMatchObject({ code });
    expect(performance.now() - started).toBeLessThan(100 + 100);
    expect(hex((await crashBuild.hash(abc)) as Uint8Array)).toBe(abcDigest);
  });

  it('a stuck deriveKey on the release build is ended the same way', async () => {
    const started = performance.now();
    await expect(deriveKey('pw', salt, 10_000_000, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(performance.now() - started).toBeLessThan(50 + 100);
    expect(hex(await hash(abc))).toBe(abcDigest);
  });
});

describe('memory cap', () => {
  it('input beyond maxMemoryPages is ERR_WASM_MEMORY, in-thread and on the pool; smaller calls still work', async () => {
    const { createWasmModule } = await import('../lib/module.js');
    const small = createWasmModule({ maxMemoryPages: 24, poolSize: 1 });
    try {
      const tooBig = randomData(2 * 1024 * 1024);
      expect(() => small.hashSync(tooBig)).toThrow(expect.objectContaining({ code: 'ERR_WASM_MEMORY' }));
      await expect(small.hash(tooBig)).rejects.toMatchObject({ code: 'ERR_WASM_MEMORY' });
      expect(hex(small.hashSync(abc))).toBe(abcDigest);
      expect(hex(await small.hash(abc))).toBe(abcDigest);
      expect(small.runner.memoryBytes).toBeLessThanOrEqual(24 * 65_536);
    } finally {
      await small.close();
    }
  });

  it('refuses a bad maxMemoryPages with ERR_INVALID_ARG when the module is created', async () => {
    const { createWasmModule } = await import('../lib/module.js');
    expect(() => createWasmModule({ maxMemoryPages: 0.5 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG' }));
  });
});

describe('crash modes this backend does not have', () => {
  it.each(['panic', 'panic-offloaded', 'abort', 'exit', 'garbage', 'oversize', 'nonsense'])(
    '%s is rejected as ERR_INVALID_ARG',
    async (mode) => {
      await expect(crash(mode as CrashMode)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    },
  );
});

describe('release build', () => {
  it('exports no crash triggers, while the crash build does', () => {
    const release = exportNames(new URL('../dist/module.wasm', import.meta.url));
    expect(release).toEqual(expect.arrayContaining(['interop_sha256', 'interop_pbkdf2_sha256']));
    expect(release.filter((name) => name.includes('crash'))).toEqual([]);
    expect(exportNames(crashBuildUrl)).toEqual(expect.arrayContaining(crashExports));
  });

  it('running a crash operation on the release module fails without trapping', async () => {
    const { createWasmModule } = await import('../lib/module.js');
    const release = createWasmModule();
    expect(() => operations.crashTrap(release.runner)).toThrow(/ERR_INTERNAL: interop_crash_trap exists only in the crash-tests build/);
    expect(hex(release.hashSync(abc))).toBe(abcDigest);
  });
});
