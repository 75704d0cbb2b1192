/**
 * `@interop-module/runtime/integrity`: the check every loader of a generated package runs before it loads
 * a binary (a napi addon, a port executable, a wasm module) — its SHA-256 against the package's
 * integrity.json — the file format that build scripts write, and the development override. The modules
 * here import nothing from Node at load time, so the browser-safe `./wasm` entry re-exports them.
 */
export { INTEGRITY_MANIFEST, readIntegrityManifest, sha256, writeIntegrityManifest } from './manifest.js';
export type { IntegrityManifest } from './manifest.js';
export { verifyBinary } from './verify.js';
export type { BinaryToLoad } from './verify.js';
export { binaryOverride, overrideVariable } from './override.js';
