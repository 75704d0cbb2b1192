import { describe, expect, it } from 'vitest';
import { InteropError } from '../errors.js';
import { tinyModuleBytes } from './fixtures/tiny-module.js';
import { importedMemoryMinimumPages } from './memory-import.js';
import { WasmRunner, type AbiExports } from './runner.js';

interface TinyExports extends AbiExports {
  trap(): void;
  frees(): number;
}

function tinyRunner(maxMemoryPages?: number): WasmRunner {
  const bytes = tinyModuleBytes();
  return new WasmRunner({ module: new WebAssembly.Module(bytes), bytes }, maxMemoryPages === undefined ? {} : { maxMemoryPages });
}
const frees = (runner: WasmRunner) => runner.run<number, TinyExports>((session) => session.exports.frees());

describe('importedMemoryMinimumPages', () => {
  it('reads the minimum of the imported memory', () => {
    expect(importedMemoryMinimumPages(tinyModuleBytes())).toBe(1);
  });
  it('is undefined for a module that defines its own memory', () => {
    expect(importedMemoryMinimumPages(tinyModuleBytes({ importMemory: false }))).toBeUndefined();
  });
  it('throws RangeError on a truncated module', () => {
    expect(() => importedMemoryMinimumPages(tinyModuleBytes().subarray(0, 20))).toThrow(RangeError);
  });
});

describe('WasmRunner', () => {
  it('copies input in and output out, and frees every input it allocated', () => {
    const runner = tinyRunner();
    const data = new Uint8Array([1, 2, 3, 250]);
    const echoed = runner.run((session) => {
      const [pointer, length] = session.input(data);
      session.input(new Uint8Array(10));
      return session.output(pointer, length);
    });
    expect(echoed).toEqual(data);
    expect(frees(runner)).toBe(2);
    expect(runner.run((session) => session.input(new Uint8Array(0)))).toEqual([0, 0]);
    expect(frees(runner)).toBe(2);
  });

  it('frees inputs when the call throws an ordinary error', () => {
    const runner = tinyRunner();
    expect(() =>
      runner.run((session) => {
        session.input(new Uint8Array(5));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(frees(runner)).toBe(1);
  });

  it('turns a trap into ERR_WASM_TRAP and runs the next call on a fresh instance', () => {
    const runner = tinyRunner();
    runner.run((session) => session.input(new Uint8Array(1)));
    expect(runner.instantiations).toBe(1);
    let caught: unknown;
    try {
      runner.run<void, TinyExports>((session) => session.exports.trap());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InteropError);
    expect(caught).toMatchObject({ code: 'ERR_WASM_TRAP' });
    expect(runner.memoryBytes).toBe(0);
    // A fresh instance: its free counter starts again from zero.
    expect(frees(runner)).toBe(0);
    expect(runner.instantiations).toBe(2);
  });

  it('prepare() makes the fresh instance after a trap before the next call, and only once', () => {
    const runner = tinyRunner();
    expect(() => runner.run<void, TinyExports>((session) => session.exports.trap())).toThrow(
      expect.objectContaining({ code: 'ERR_WASM_TRAP' }),
    );
    expect(runner.memoryBytes).toBe(0);
    runner.prepare();
    expect(runner.instantiations).toBe(2);
    expect(runner.memoryBytes).toBeGreaterThan(0);
    runner.prepare();
    runner.run((session) => session.input(new Uint8Array(1)));
    expect(runner.instantiations).toBe(2);
  });

  it('reports input beyond maxMemoryPages as ERR_WASM_MEMORY and keeps working', () => {
    const runner = tinyRunner(3);
    expect(() => runner.run((session) => session.input(new Uint8Array(3 * 65_536)))).toThrow(
      expect.objectContaining({ code: 'ERR_WASM_MEMORY', message: expect.stringContaining('3 pages') }),
    );
    expect(runner.run((session) => session.output(...session.input(new Uint8Array([9]))))).toEqual(new Uint8Array([9]));
    expect(runner.memoryBytes).toBeLessThanOrEqual(3 * 65_536);
  });

  it.each([0, 1.5, 70_000, '8', null])('rejects maxMemoryPages %s with ERR_INVALID_ARG', (value) => {
    const bytes = tinyModuleBytes();
    const loaded = { module: new WebAssembly.Module(bytes), bytes };
    expect(() => new WasmRunner(loaded, { maxMemoryPages: value as number })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG' }),
    );
  });

  it('refuses a module that does not import its memory, with ERR_INTERNAL', () => {
    const bytes = tinyModuleBytes({ importMemory: false });
    expect(() => new WasmRunner({ module: new WebAssembly.Module(bytes), bytes })).toThrow(
      expect.objectContaining({ code: 'ERR_INTERNAL', message: expect.stringContaining('--import-memory') }),
    );
  });
});
