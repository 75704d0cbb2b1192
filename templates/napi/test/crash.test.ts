import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runInChild } from '@interop-module/runtime/testing';
import { deriveKey, hashSync } from '../lib/index.js';
import { crash, crashBuildHashSync, type CrashMode } from '../lib/testing.js';

const requireFromHere = createRequire(import.meta.url);
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const crashBuildDir = fileURLToPath(new URL('../crash-build/', import.meta.url));
const abcDigest = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
/** Text that only the crash triggers in src/lib.rs put into the binary. */
const triggerMarker = 'interop-crash-trigger';
const salt = new TextEncoder().encode('crash-test-salt');

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function addonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.node'))
    .map((name) => `${dir}/${name}`);
}

describe('panics become ERR_NATIVE_PANIC and leave the addon usable', () => {
  it('a panic on the JavaScript thread', async () => {
    await expect(crash('panic')).rejects.toMatchObject({
      name: 'InteropError',
      code: 'ERR_NATIVE_PANIC',
      message: expect.stringContaining('deliberate panic on the JavaScript thread'),
    });
    expect(hex(crashBuildHashSync(new TextEncoder().encode('abc')))).toBe(abcDigest);
  });

  it('a panic inside offloaded work on a libuv pool thread', async () => {
    await expect(crash('panic-offloaded')).rejects.toMatchObject({
      code: 'ERR_NATIVE_PANIC',
      message: expect.stringContaining('deliberate panic on a libuv pool thread'),
    });
    expect(hex(crashBuildHashSync(new TextEncoder().encode('abc')))).toBe(abcDigest);
    // The pool thread that panicked is still serving work.
    await expect(crash('panic-offloaded')).rejects.toMatchObject({ code: 'ERR_NATIVE_PANIC' });
  });
});

describe('abort', () => {
  it('ends only the child process that called it, with SIGABRT', async () => {
    const outcome = await runInChild({
      modulePath: fileURLToPath(new URL('./fixtures/crash.mjs', import.meta.url)),
      exportName: 'crashWith',
      args: ['abort'],
      timeoutMs: 30_000,
    });
    expect(outcome.signal).toBe('SIGABRT');
    expect(outcome.result).toBeUndefined();
    expect(outcome.stderr).toContain(`${triggerMarker}: aborting the process on purpose`);
    expect(hashSync(new TextEncoder().encode('abc'))).toHaveLength(32);
  });
});

describe('crash modes this backend does not have', () => {
  it.each(['exit', 'hang', 'trap', 'garbage', 'oversize', 'nonsense'])('%s is rejected as ERR_INVALID_ARG', async (mode) => {
    await expect(crash(mode as CrashMode)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
  });
});

describe('cancelling deriveKey stops the Rust loop, not just the promise', () => {
  // Node's libuv pool has UV_THREADPOOL_SIZE threads (4 unless set); occupying all of them means
  // a later call can only run once a cancelled one has really given its thread back.
  const poolSize = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const longIterations = 10_000_000;

  async function timed<T>(work: () => Promise<T>): Promise<number> {
    const start = performance.now();
    await work();
    return performance.now() - start;
  }

  it.each([
    ['abort', (controller: AbortController) => ({ signal: controller.signal })],
    ['timeout', () => ({ timeoutMs: 100 })],
  ] as const)('%s frees every pool thread for the next call', async (how, callOptions) => {
    // One uncancelled call of a tenth of the long length tells how slow this machine is.
    const tenthMs = await timed(() => deriveKey('calibrate', salt, longIterations / 10));

    const controller = new AbortController();
    const longCalls = Array.from({ length: poolSize }, (_, index) =>
      deriveKey(`long-${index}`, salt, longIterations, callOptions(controller)),
    );
    const settled = Promise.allSettled(longCalls);
    if (how === 'abort') setTimeout(() => controller.abort(), 100);
    const outcomes = await settled;
    const expectedCode = how === 'abort' ? 'ERR_ABORTED' : 'ERR_TIMEOUT';
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { code: expectedCode } });
    }

    // Had the long calls kept running, this one would queue behind ~10 tenths of work each.
    const smallMs = await timed(() => deriveKey('small', salt, 1_000));
    expect(smallMs).toBeLessThan(tenthMs * 3);
  });
});

describe('loading', () => {
  /**
   * This package's compiled entry in a copy of the package: package.json, integrity.json and dist/, no addon.
   * The copy sits inside this package (test-artifacts/, git-ignored), so it resolves dependencies as the
   * package does, wherever they were installed (a workspace hoists them above the package).
   */
  function packageCopy(): string {
    const artifacts = path.join(packageRoot, 'test-artifacts');
    mkdirSync(artifacts, { recursive: true });
    const copy = mkdtempSync(path.join(artifacts, 'no-addon-'));
    // All of dist/: the entry imports the wrappers of functions added with `create-interop-module add`.
    cpSync(path.join(packageRoot, 'dist'), path.join(copy, 'dist'), { recursive: true });
    for (const file of ['package.json', 'integrity.json']) copyFileSync(path.join(packageRoot, file), path.join(copy, file));
    return copy;
  }
  const addonName = () => Object.keys(JSON.parse(readFileSync(path.join(packageRoot, 'integrity.json'), 'utf8')).binaries)[0]!;

  it('a package whose addon is missing fails with ERR_INTERNAL naming the fix, not a bare require error', async () => {
    const copy = packageCopy();
    try {
      await expect(import(pathToFileURL(path.join(copy, 'dist', 'index.js')).href)).rejects.toMatchObject({
        name: 'InteropError',
        code: 'ERR_INTERNAL',
        message: expect.stringContaining('npm run build'),
      });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('an addon that is not the one integrity.json lists is refused with ERR_NATIVE_INTEGRITY, before it is loaded', async () => {
    const copy = packageCopy();
    try {
      const name = addonName();
      writeFileSync(path.join(copy, name), Buffer.concat([readFileSync(path.join(packageRoot, name)), Buffer.from([0])]));
      await expect(import(pathToFileURL(path.join(copy, 'dist', 'index.js')).href)).rejects.toMatchObject({
        name: 'InteropError',
        code: 'ERR_NATIVE_INTEGRITY',
        message: expect.stringContaining(`refusing to load ${path.join(copy, name)}: its SHA-256 is `),
      });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('release build', () => {
  it('exports no crash triggers', () => {
    const release = requireFromHere('../index.cjs') as Record<string, unknown>;
    expect(Object.keys(release).filter((name) => name.toLowerCase().includes('crash'))).toEqual([]);
    const crashEnabled = requireFromHere('../crash-build/index.cjs') as Record<string, unknown>;
    expect(Object.keys(crashEnabled)).toEqual(expect.arrayContaining(['crashPanic', 'crashPanicOffloaded', 'crashAbort']));
  });

  it('does not contain the trigger code, while the crash build does', () => {
    const releaseAddons = addonFiles(packageRoot);
    const crashAddons = addonFiles(crashBuildDir);
    expect(releaseAddons.length).toBeGreaterThan(0);
    expect(crashAddons.length).toBeGreaterThan(0);
    for (const file of releaseAddons) expect(readFileSync(file).includes(triggerMarker)).toBe(false);
    for (const file of crashAddons) expect(readFileSync(file).includes(triggerMarker)).toBe(true);
  });
});
