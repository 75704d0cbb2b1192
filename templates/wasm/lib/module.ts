/**
 * One copy of the wasm module: an in-thread instance for hashSync and a worker pool for hash and
 * deriveKey, each made on first use, so creating one loads nothing. lib/index.ts exports a default
 * one; tests and callers who want another memory cap or pool size make their own.
 */
import {
  InteropError,
  WasmRunner,
  binaryOverride,
  checkData,
  checkDeriveKeyArguments,
  checkMaxMemoryPages,
  compileModule,
  createWorkerPool,
  defineHasher,
  forEachSlice,
  isInteropError,
  isNode,
  withCallOptions,
  type CallOptions,
  type Hasher,
  type LoadedModule,
  type WorkerPool,
  verifyBinary,
} from '@interop-module/runtime/wasm';
import { operations, resultBytes, type ContractExports, type OperationName } from './abi.js';

export interface WasmModuleOptions {
  /** Cap on each instance's linear memory, in 64 KiB pages (default 2112: room for 64 MiB inputs after earlier ones). */
  maxMemoryPages?: number;
  /** Most pool workers (default: one per core but one). */
  poolSize?: number;
  /**
   * The .wasm to load (default: the release build, dist/module.wasm, which in Node is checked against the
   * package's integrity.json first; a module given here is the caller's own and is not checked).
   */
  wasmUrl?: URL;
}

export interface WasmModule {
  hash(data: Uint8Array, options?: CallOptions): Promise<Uint8Array>;
  hashSync(data: Uint8Array): Uint8Array;
  deriveKey(password: string | Uint8Array, salt: Uint8Array, iterations: number, options?: CallOptions): Promise<Uint8Array>;
  /** Runs any operation of lib/abi.ts on the pool (the crash triggers use it). */
  offload(operation: OperationName, args: unknown[], options?: CallOptions): Promise<unknown>;
  /**
   * Runs `operation(runner, input)` on the pool, taking `input` as every call takes its bytes (the
   * runtime's large-input.ts): the functions added with `create-interop-module add` use it.
   */
  offloadOnInput(operation: OperationName, input: Uint8Array, options?: CallOptions): Promise<unknown>;
  /**
   * Compiles the module for this thread without blocking it; a missing or invalid .wasm rejects here.
   * In a browser, await it once before the first hashSync; in Node, hashSync compiles the module
   * synchronously on first use if this has not run. Idempotent.
   */
  ready(): Promise<void>;
  /** The in-thread instance's runner (hashSync runs on it); loaded as hashSync loads it. */
  readonly runner: WasmRunner;
  /** Incremental SHA-256 on this thread's instance (the contract's Hasher). */
  createHasher(): Hasher;
  /** SHA-256 of a stream, through a hasher. */
  hashStream(source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>, options?: CallOptions): Promise<Uint8Array>;
  /** Hashers the in-thread instance holds now (0 before it exists); the leak tests read it. */
  liveHashers(): number;
  /** Terminates the pool's workers; the module stays usable and starts a new pool if called again. */
  close(): Promise<void>;
}

/** A hasher's state: its handle in the in-thread instance, and which instance that is (the runner's count). */
interface HasherState {
  handle: number;
  instance: number;
}

/** Bytes a hasher update hashes per loop turn on this thread (~0.3 ms of wasm SHA-256). */
const hasherSliceBytes = 64 * 1024;

// Through ../dist/ so the same URLs hold whether this file runs as lib/module.ts (vitest) or
// dist/module.js (the build): workers need the compiled abi.js either way.
const releaseWasmUrl = new URL('../dist/module.wasm', import.meta.url);
const operationsUrl = new URL('../dist/abi.js', import.meta.url);
const packageRoot = new URL('../', import.meta.url);

/** The module to load, and the check to run on it before it is instantiated (given its bytes, or reading them). */
interface ModuleSource {
  url: URL;
  check(bytes?: Uint8Array): void;
}

/**
 * The package's own module: in Node, the development override (`INTEROP_MODULE_BINARY_<NAME>`, unchecked,
 * warned once) or dist/module.wasm checked against integrity.json (ERR_NATIVE_INTEGRITY); in a browser,
 * dist/module.wasm as the page's server sends it. Decided at the first load, not at import.
 */
function releaseSource(): ModuleSource {
  if (!isNode) return { url: releaseWasmUrl, check() {} };
  const override = binaryOverride(packageRoot);
  if (override !== undefined) return { url: process.getBuiltinModule('node:url').pathToFileURL(override), check() {} };
  return { url: releaseWasmUrl, check: (bytes) => verifyBinary({ packageRoot, name: 'module.wasm', file: releaseWasmUrl, ...(bytes && { bytes }) }) };
}

/** A load failure of the .wasm itself, as a typed error that says what to do. */
function loadFailure(wasmUrl: URL, error: unknown): InteropError {
  if (isInteropError(error)) return error;
  return new InteropError('ERR_INTERNAL', `the wasm module at ${wasmUrl.href} could not be loaded; run \`npm run build\``, {
    cause: error,
  });
}

/**
 * Node only: reads and compiles a file: URL on this thread, for a hashSync that comes before ready().
 * A few milliseconds, once; node:fs comes through process.getBuiltinModule so browsers never import it.
 */
function compileModuleSync(wasmUrl: URL, check: (bytes: Uint8Array) => void): LoadedModule {
  const bytes = new Uint8Array(process.getBuiltinModule('node:fs').readFileSync(wasmUrl));
  check(bytes);
  return { module: new WebAssembly.Module(bytes), bytes };
}

export function createWasmModule(options: WasmModuleOptions = {}): WasmModule {
  const { maxMemoryPages, poolSize } = options;
  let source: ModuleSource | undefined;
  const moduleSource = () => (source ??= options.wasmUrl === undefined ? releaseSource() : { url: options.wasmUrl, check() {} });
  // Checked now, not at the first call; the module's own minimum is checked when it is loaded.
  const runnerOptions = maxMemoryPages === undefined ? {} : { maxMemoryPages: checkMaxMemoryPages(maxMemoryPages) };
  let runner: WasmRunner | undefined;
  let loading: Promise<void> | undefined;
  let pool: WorkerPool | undefined;

  const inThreadRunner = (): WasmRunner => {
    if (runner !== undefined) return runner;
    const { url: wasmUrl, check } = moduleSource();
    if (!isNode || wasmUrl.protocol !== 'file:') {
      throw new InteropError(
        'ERR_INTERNAL',
        'hashSync needs the wasm module compiled on this thread, which a browser cannot do synchronously: `await ready()` once before the first hashSync',
      );
    }
    try {
      runner = new WasmRunner(compileModuleSync(wasmUrl, check), runnerOptions);
    } catch (error) {
      throw loadFailure(wasmUrl, error);
    }
    return runner;
  };
  const ready = () =>
    (loading ??= (async () => {
      const { url: wasmUrl, check } = moduleSource();
      try {
        const loaded = await compileModule(wasmUrl);
        check(loaded.bytes);
        runner ??= new WasmRunner(loaded, runnerOptions);
      } catch (error) {
        loading = undefined; // a later ready() tries again (say, after `npm run build`)
        throw loadFailure(wasmUrl, error);
      }
    })());

  // The workers read the module themselves: it is checked here first, once (verifyBinary remembers it).
  const workers = () => {
    if (pool !== undefined) return pool;
    const { url: wasmUrl, check } = moduleSource();
    check();
    return (pool = createWorkerPool({
      wasmUrl,
      operationsUrl,
      ...(poolSize !== undefined && { size: poolSize }),
      ...(maxMemoryPages !== undefined && { maxMemoryPages }),
    }));
  };
  const offload = (operation: OperationName, args: unknown[], callOptions?: CallOptions) =>
    withCallOptions(callOptions, (cancel) => workers().run(operation, args, cancel));

  /**
   * Runs `body` on the instance `hasher` lives in. A trap replaces the instance and loses its hashers:
   * a hasher of an earlier instance is ERR_RESOURCE_LOST; one the instance no longer has, ERR_INVALID_STATE.
   */
  const onHasher = <T>(hasher: HasherState, body: (exports: ContractExports, session: { input(bytes: Uint8Array): [number, number]; output(pointer: number, length: number): Uint8Array }) => T): T => {
    const active = inThreadRunner();
    return active.run<T, ContractExports>((session) => {
      if (active.instantiations !== hasher.instance) {
        throw new InteropError('ERR_RESOURCE_LOST', 'this hasher was lost with a wasm instance that trapped');
      }
      return body(session.exports, session);
    });
  };
  const notLive = () => new InteropError('ERR_INVALID_STATE', 'the wasm instance has no such hasher');
  // The in-thread instance holds every hasher: a hasher's calls never wait for a worker, and a large
  // update is hashed a slice per loop turn, as a large input is read (large-input.ts).
  const hashers = defineHasher<HasherState>({
    async create() {
      if (!isNode) await ready(); // a browser compiles asynchronously; Node compiles on first use
      const active = inThreadRunner();
      const handle = active.run<number, ContractExports>(({ exports }) => exports.interop_hasher_create());
      if (handle === 0) throw new InteropError('ERR_RESOURCE_LIMIT', 'the wasm instance holds its most hashers');
      return { handle, instance: active.instantiations };
    },
    onThisThread: true,
    async update(hasher, data, cancel) {
      const done = await forEachSlice(
        data,
        cancel,
        (slice) =>
          onHasher(hasher, (exports, session) => {
            if (exports.interop_hasher_update(hasher.handle, ...session.input(slice)) === 0) throw notLive();
          }),
        hasherSliceBytes,
      );
      if (!done) throw cancel.reason;
    },
    async digest(hasher) {
      return onHasher(hasher, (exports, session) => {
        if (exports.interop_hasher_digest(hasher.handle) === 0) throw notLive();
        return session.output(exports.interop_output(), resultBytes);
      });
    },
    free(hasher) {
      // An instance that trapped took its hashers with it: nothing to free, and no instance to make.
      if (runner?.instantiations === hasher.instance && runner.memoryBytes > 0) {
        onHasher(hasher, (exports) => exports.interop_hasher_free(hasher.handle));
      }
    },
    lostOn: ['ERR_WASM_TRAP'],
    // Gone with an instance that trapped (dropped, or replaced by a fresh one since).
    isLost: (hasher) => runner === undefined || runner.instantiations !== hasher.instance || runner.memoryBytes === 0,
  });

  return {
    get runner() {
      return inThreadRunner();
    },
    createHasher: hashers.createHasher,
    hashStream: hashers.hashStream,
    liveHashers: () =>
      runner === undefined || runner.memoryBytes === 0 ? 0 : runner.run<number, ContractExports>(({ exports }) => exports.interop_hasher_live()),
    offload,
    offloadOnInput: (operation, input, callOptions) =>
      withCallOptions(callOptions, (cancel) => workers().runOnInput(operation, input, [], cancel)),
    ready,
    hashSync(data) {
      const bytes = checkData(data);
      return operations.sha256(inThreadRunner(), bytes);
    },
    async hash(data, callOptions) {
      const bytes = checkData(data);
      // runOnInput moves the bytes to the worker without holding this thread: posting 64 MiB as is
      // would copy it here in one blocking step.
      return withCallOptions(callOptions, async (cancel) => (await workers().runOnInput('sha256', bytes, [], cancel)) as Uint8Array);
    },
    async deriveKey(password, salt, iterations, callOptions) {
      // Copies (at most 1 KiB each): posting a caller's view would clone its whole backing buffer.
      const args = checkDeriveKeyArguments(password, salt, iterations);
      return (await offload('pbkdf2Sha256', [args.password, args.salt, args.iterations], callOptions)) as Uint8Array;
    },
    async close() {
      const closing = pool;
      pool = undefined;
      await closing?.close();
    },
  };
}

/** The module lib/index.ts serves: the release build, default options. Loads nothing until a call. */
export const defaultModule = createWasmModule();
