/**
 * The package's public API (see the template contract), backed by src/lib.rs compiled to
 * wasm32-unknown-unknown. Loading is asynchronous in browsers (the module is fetched), so this
 * module uses top-level await; it loads the same way in Node and in a browser, without a bundler.
 */
import type { CallOptions } from '@interop-module/runtime/wasm';
import { createWasmModule } from './module.js';

export { InteropError } from '@interop-module/runtime/wasm';
export type { CallOptions } from '@interop-module/runtime/wasm';
export { createWasmModule } from './module.js';
export type { WasmModule, WasmModuleOptions } from './module.js';

export const backend = 'wasm';

const defaultModule = await createWasmModule();

/** SHA-256 on a pool worker; abort/timeout replace that worker, so a stuck call really ends. */
export function hash(data: Uint8Array, options?: CallOptions): Promise<Uint8Array> {
  return defaultModule.hash(data, options);
}

/** SHA-256 on this thread's instance. */
export function hashSync(data: Uint8Array): Uint8Array {
  return defaultModule.hashSync(data);
}

/** PBKDF2-HMAC-SHA256 on a pool worker, 32-byte key. */
export function deriveKey(
  password: string | Uint8Array,
  salt: Uint8Array,
  iterations: number,
  options?: CallOptions,
): Promise<Uint8Array> {
  return defaultModule.deriveKey(password, salt, iterations, options);
}

/** Terminates the worker pool. Idempotent; a later call starts a new pool. */
export function close(): Promise<void> {
  return defaultModule.close();
}
