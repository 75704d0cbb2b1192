/// <reference lib="dom" />
import { InteropError } from '../errors.js';
import { importedMemoryMinimumPages } from './memory-import.js';
import { compileModule, type LoadedModule } from './platform.js';

/** 64 KiB, the unit of wasm linear memory. */
export const WASM_PAGE_BYTES = 65_536;
/**
 * The default cap: twice the contract's 64 MiB input plus room for the module's own data. An instance
 * that has served a large input keeps that memory (wasm memory never shrinks), and its allocator may
 * not reuse a freed block for a larger one: a worker that hashed 16 MiB could not take 64 MiB under a
 * 1100-page cap. Pages count against the process only once written.
 */
export const DEFAULT_MAX_MEMORY_PAGES = 2112;
/** The most a 32-bit wasm memory can have. */
const maxPagesLimit = 65_536;

export interface WasmRunnerOptions {
  /** Largest linear memory an instance may grow to, in 64 KiB pages; more is ERR_WASM_MEMORY. */
  maxMemoryPages?: number;
}

/**
 * The ABI a module must follow to run here: it imports its memory as `env.memory`, and exports
 * `interop_alloc(len) -> ptr` (0 when memory cannot grow) and `interop_free(ptr, len)`.
 */
export interface AbiExports {
  interop_alloc(length: number): number;
  interop_free(pointer: number, length: number): void;
  [name: string]: unknown;
}

/** What a call sees while it runs on an instance. */
export interface WasmSession<Exports extends AbiExports = AbiExports> {
  readonly exports: Exports;
  /** Copies bytes into the instance; the run frees them afterwards. Returns [pointer, length]. */
  input(bytes: Uint8Array): [pointer: number, length: number];
  /** Copies `length` bytes out of the instance. */
  output(pointer: number, length: number): Uint8Array;
}

export function checkMaxMemoryPages(value: unknown, minimumPages = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimumPages || value > maxPagesLimit) {
    throw new InteropError(
      'ERR_INVALID_ARG',
      `maxMemoryPages must be an integer from ${minimumPages} to ${maxPagesLimit}, got ${String(value)}`,
    );
  }
  return value;
}

interface LiveInstance {
  exports: AbiExports;
  memory: WebAssembly.Memory;
}

/**
 * Runs calls on one instance of a compiled module at a time. A trap (a Rust panic compiles to
 * `unreachable`) may leave the instance's memory and allocator half-updated, so after a trap the
 * instance is dropped and the next call gets a fresh one; the compiled module is reused, which
 * keeps re-instantiation cheap and synchronous.
 */
export class WasmRunner {
  readonly #module: WebAssembly.Module;
  readonly #minimumPages: number;
  readonly #maxMemoryPages: number;
  #live: LiveInstance | undefined;
  #instantiations = 0;

  constructor(loaded: LoadedModule, options: WasmRunnerOptions = {}) {
    const minimumPages = importedMemoryMinimumPages(loaded.bytes);
    if (minimumPages === undefined) {
      throw new InteropError('ERR_INTERNAL', 'the wasm module does not import its memory (link with --import-memory)');
    }
    this.#module = loaded.module;
    this.#minimumPages = minimumPages;
    this.#maxMemoryPages = checkMaxMemoryPages(
      options.maxMemoryPages === undefined ? DEFAULT_MAX_MEMORY_PAGES : options.maxMemoryPages,
      minimumPages,
    );
  }

  static async load(url: URL, options?: WasmRunnerOptions): Promise<WasmRunner> {
    return new WasmRunner(await compileModule(url), options);
  }

  /** How many instances this runner has created: 1 plus one per trap that was followed by a call or prepare(). */
  get instantiations(): number {
    return this.#instantiations;
  }

  /** Bytes of linear memory the current instance holds (0 before the first call or after a trap). */
  get memoryBytes(): number {
    return this.#live?.memory.buffer.byteLength ?? 0;
  }

  #instantiate(): LiveInstance {
    const memory = new WebAssembly.Memory({ initial: this.#minimumPages, maximum: this.#maxMemoryPages });
    const instance = new WebAssembly.Instance(this.#module, { env: { memory } });
    this.#instantiations++;
    return { exports: instance.exports as unknown as AbiExports, memory };
  }

  /**
   * Creates the instance now if there is none (before the first call, or after a trap), so that the next
   * call does not wait for it. A pool worker prepares one while its answer to a trapped call travels.
   */
  prepare(): void {
    this.#liveInstance();
  }

  #liveInstance(): LiveInstance {
    return (this.#live ??= this.#instantiate());
  }

  /** Runs `body` on the live instance, freeing what it allocated whether it returns or throws. */
  run<T, Exports extends AbiExports = AbiExports>(body: (session: WasmSession<Exports>) => T): T {
    const live = this.#liveInstance();
    const allocations: [number, number][] = [];
    const maxMemoryPages = this.#maxMemoryPages;
    const session: WasmSession<Exports> = {
      exports: live.exports as Exports,
      input(bytes) {
        if (bytes.byteLength === 0) return [0, 0];
        const pointer = live.exports.interop_alloc(bytes.byteLength);
        if (pointer === 0) {
          throw new InteropError(
            'ERR_WASM_MEMORY',
            `${bytes.byteLength} bytes do not fit in the wasm memory limit of ${maxMemoryPages} pages ` +
              `(${maxMemoryPages * WASM_PAGE_BYTES} bytes); raise maxMemoryPages or pass less data`,
          );
        }
        allocations.push([pointer, bytes.byteLength]);
        // Read memory.buffer after the allocation: growing the memory replaces the buffer.
        new Uint8Array(live.memory.buffer, pointer, bytes.byteLength).set(bytes);
        return [pointer, bytes.byteLength];
      },
      output(pointer, length) {
        return new Uint8Array(live.memory.buffer, pointer, length).slice();
      },
    };
    try {
      return body(session);
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) {
        // Never reuse a trapped instance; its allocations go with it.
        this.#live = undefined;
        allocations.length = 0;
        throw new InteropError('ERR_WASM_TRAP', `the wasm instance trapped (${error.message}); the next call uses a fresh instance`, {
          cause: error,
        });
      }
      throw error;
    } finally {
      for (const [pointer, length] of allocations) live.exports.interop_free(pointer, length);
    }
  }
}
