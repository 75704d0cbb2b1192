import { mkdtempSync } from 'node:fs';
import { copyFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmModule } from '../lib/module.js';

const abc = new TextEncoder().encode('abc');
const abcDigest = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const releaseWasm = new URL('../dist/module.wasm', import.meta.url);
const scratch = mkdtempSync(path.join(tmpdir(), 'wasm-loading-'));

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

// Importing lib/index.ts loads nothing (no top-level await: CommonJS callers require() it); a module
// is compiled on this thread when hashSync or ready() first needs it.
describe('loading on first use', () => {
  it('in Node, hashSync compiles the module synchronously when ready() has not run; ready() then keeps that instance', async () => {
    const module = createWasmModule();
    expect(hex(module.hashSync(abc))).toBe(abcDigest);
    const runner = module.runner;
    await module.ready();
    expect(module.runner).toBe(runner);
    expect(runner.instantiations).toBe(1);
  });

  it('ready() compiles without blocking, once; hashSync then uses that instance', async () => {
    const module = createWasmModule();
    const first = module.ready();
    expect(module.ready()).toBe(first);
    await first;
    expect(hex(module.hashSync(abc))).toBe(abcDigest);
    expect(module.runner.instantiations).toBe(1);
  });

  it('a missing .wasm is ERR_INTERNAL at the first use, not at creation, and a later ready() tries again', async () => {
    const wasmUrl = pathToFileURL(path.join(scratch, 'later.wasm'));
    const module = createWasmModule({ wasmUrl });
    const missing = expect.objectContaining({ code: 'ERR_INTERNAL', message: expect.stringContaining('npm run build') });
    expect(() => module.hashSync(abc)).toThrow(missing);
    await expect(module.ready()).rejects.toEqual(missing);
    // The pool's workers load it themselves and fail the call the same way.
    await expect(module.hash(abc)).rejects.toMatchObject({ code: 'ERR_INTERNAL' });
    await copyFile(releaseWasm, wasmUrl);
    await module.ready();
    expect(hex(module.hashSync(abc))).toBe(abcDigest);
    await module.close();
  });

  it('where the module can only be fetched (a browser), hashSync before ready() says to await ready()', () => {
    const module = createWasmModule({ wasmUrl: new URL('http://127.0.0.1:9/module.wasm') });
    expect(() => module.hashSync(abc)).toThrow(
      expect.objectContaining({ code: 'ERR_INTERNAL', message: expect.stringContaining('await ready()') }),
    );
  });

  it('hashSync checks its argument before loading anything', () => {
    const module = createWasmModule({ wasmUrl: new URL('http://127.0.0.1:9/module.wasm') });
    expect(() => module.hashSync('abc' as unknown as Uint8Array)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG' }));
  });
});
