/**
 * One loaded copy of the wasm module: an in-thread instance for hashSync and a worker pool (made on
 * first use) for hash and deriveKey. lib/index.ts exports a default one; tests and callers who want
 * another memory cap or pool size make their own.
 */
import {
  WasmRunner,
  checkData,
  checkIterations,
  checkPassword,
  checkSalt,
  createWorkerPool,
  withCallOptions,
  type CallOptions,
  type WorkerPool,
} from '@interop-module/runtime/wasm';
import { operations, type OperationName } from './abi.js';

export interface WasmModuleOptions {
  /** Cap on each instance's linear memory, in 64 KiB pages (default 2112: room for 64 MiB inputs after earlier ones). */
  maxMemoryPages?: number;
  /** Most pool workers (default: one per core but one). */
  poolSize?: number;
  /** The .wasm to load (default: the release build next to this file). */
  wasmUrl?: URL;
}

export interface WasmModule {
  hash(data: Uint8Array, options?: CallOptions): Promise<Uint8Array>;
  hashSync(data: Uint8Array): Uint8Array;
  deriveKey(password: string | Uint8Array, salt: Uint8Array, iterations: number, options?: CallOptions): Promise<Uint8Array>;
  /** Runs any operation of lib/abi.ts on the pool (the crash triggers use it). */
  offload(operation: OperationName, args: unknown[], options?: CallOptions): Promise<unknown>;
  /** The in-thread instance's runner (hashSync runs on it). */
  readonly runner: WasmRunner;
  /** Terminates the pool's workers; the module stays usable and starts a new pool if called again. */
  close(): Promise<void>;
}

// Through ../dist/ so the same URLs hold whether this file runs as lib/module.ts (vitest) or
// dist/module.js (the build): workers need the compiled abi.js either way.
const releaseWasmUrl = new URL('../dist/module.wasm', import.meta.url);
const operationsUrl = new URL('../dist/abi.js', import.meta.url);

export async function createWasmModule(options: WasmModuleOptions = {}): Promise<WasmModule> {
  const wasmUrl = options.wasmUrl ?? releaseWasmUrl;
  const { maxMemoryPages, poolSize } = options;
  const runner = await WasmRunner.load(wasmUrl, maxMemoryPages === undefined ? {} : { maxMemoryPages });
  let pool: WorkerPool | undefined;

  const workers = () =>
    (pool ??= createWorkerPool({
      wasmUrl,
      operationsUrl,
      ...(poolSize !== undefined && { size: poolSize }),
      ...(maxMemoryPages !== undefined && { maxMemoryPages }),
    }));
  const offload = (operation: OperationName, args: unknown[], callOptions?: CallOptions) =>
    withCallOptions(callOptions, (cancel) => workers().run(operation, args, cancel));

  return {
    runner,
    offload,
    hashSync(data) {
      return operations.sha256(runner, checkData(data));
    },
    async hash(data, callOptions) {
      const bytes = checkData(data);
      // runOnInput moves the bytes to the worker without holding this thread: posting 64 MiB as is
      // would copy it here in one blocking step.
      return withCallOptions(callOptions, async (cancel) => (await workers().runOnInput('sha256', bytes, [], cancel)) as Uint8Array);
    },
    async deriveKey(password, salt, iterations, callOptions) {
      // Copies (at most 1 KiB each): posting a caller's view would clone its whole backing buffer.
      const args = [new Uint8Array(checkPassword(password)), new Uint8Array(checkSalt(salt)), checkIterations(iterations)];
      return (await offload('pbkdf2Sha256', args, callOptions)) as Uint8Array;
    },
    async close() {
      const closing = pool;
      pool = undefined;
      await closing?.close();
    },
  };
}
