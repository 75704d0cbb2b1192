/**
 * The package's public API (the interop-module contract, @interop-module/runtime's `Contract`), backed
 * by src/lib.rs compiled to wasm32-unknown-unknown; the same file runs in Node and in a browser,
 * without a bundler. Importing it loads nothing, so it has no top-level await and CommonJS callers can
 * require() it: hash and deriveKey load the module on their pool workers; hashSync compiles it on this
 * thread on first use, synchronously in Node, while a browser (which can only fetch and compile
 * asynchronously) needs `await ready()` once before its first hashSync.
 */
import type { CallOptions, Contract, Satisfies } from '@interop-module/runtime/wasm';
import { defaultModule } from './module.js';

export { InteropError } from '@interop-module/runtime/wasm';
export type { CallOptions } from '@interop-module/runtime/wasm';
export { createWasmModule } from './module.js';
export type { WasmModule, WasmModuleOptions } from './module.js';

export const backend = 'wasm';


/**
 * Compiles the module for hashSync without blocking this thread; a missing or invalid .wasm rejects
 * here. Needed once before hashSync in a browser; optional in Node. Idempotent.
 */
export function ready(): Promise<void> {
  return defaultModule.ready();
}

/** SHA-256 on a pool worker; abort/timeout replace that worker, so a stuck call really ends. */
export function hash(data: Uint8Array, options?: CallOptions): Promise<Uint8Array> {
  return defaultModule.hash(data, options);
}

/** SHA-256 on this thread's instance (in a browser, after `await ready()`). */
export function hashSync(data: Uint8Array): Uint8Array {
  return defaultModule.hashSync(data);
}

/** PBKDF2-HMAC-SHA256 on a pool worker, 32-byte key. Typed by the contract, the one home of its signature. */
export const deriveKey: Contract['deriveKey'] = (password, salt, iterations, options) =>
  defaultModule.deriveKey(password, salt, iterations, options);

/** Incremental SHA-256 on this thread's wasm instance (the contract's Hasher); a trap loses its hashers (ERR_RESOURCE_LOST). */
export const createHasher = defaultModule.createHasher;

/** SHA-256 of a stream, through a hasher. */
export const hashStream = defaultModule.hashStream;

/** Terminates the worker pool. Idempotent; a later call starts a new pool. */
export function close(): Promise<void> {
  return defaultModule.close();
}

// Functions added with `create-interop-module add`: each one's wrapper is lib/functions/<name>.ts.
// create-interop-module add: functions start
// create-interop-module add: functions end

/** `tsc` (so `npm run build` and `npm run lint`) fails here when an export of this entry drifts from the contract. */
type MeetsContract = Satisfies<Contract<{ sync: true }>, typeof import('./index.js')>;
