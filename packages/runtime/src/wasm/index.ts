/**
 * `@interop-module/runtime/wasm`: what a wasm-kind package needs to load its module and run it in
 * Node and in browsers without a bundler. Everything here (and everything it imports) runs in a
 * browser too, so it re-exports the browser-safe parts of the runtime instead of the root entry,
 * whose offload helpers use node:os.
 */
export { WasmRunner, DEFAULT_MAX_MEMORY_PAGES, WASM_PAGE_BYTES, checkMaxMemoryPages } from './runner.js';
export type { AbiExports, WasmRunnerOptions, WasmSession } from './runner.js';
export { createWorkerPool } from './pool.js';
export { forEachSlice, isCopiedAtCall } from '../large-input.js';
export type { WasmOperations, WorkerPool, WorkerPoolOptions } from './pool.js';
export { importedMemoryMinimumPages } from './memory-import.js';
export { compileModule, isNode } from './platform.js';
// The wasm kind's loader checks its module with these in Node (the import map of a page lists only this entry).
export { binaryOverride, verifyBinary } from '../integrity/index.js';
export type { LoadedModule } from './platform.js';
export { InteropError, isInteropError, registerErrorCodes, toInteropError } from '../errors.js';
export type { ErrorCode, InteropErrorCode, RegisteredErrorCode, RegisteredErrorCodes } from '../errors.js';
export type { Backend, Contract, ContractShape, CrashMode, Satisfies, TestingEntry } from '../contract.js';
export { checkCallOptions, withCallOptions } from '../call-options.js';
export type { CallOptions } from '../call-options.js';
export { LIMITS, checkData, checkDeriveKeyArguments, checkIterations, checkPassword, checkSalt, type DeriveKeyArguments } from '../contract-args.js';
export { createResourceTable } from '../resources/table.js';
export type { Resource, ResourceTable, ResourceTableOptions, RunOptions } from '../resources/table.js';
export { defaultHasherLimit, defineHasher } from '../resources/hasher.js';
export type { Hasher, HasherBackend, Hashers } from '../resources/hasher.js';
