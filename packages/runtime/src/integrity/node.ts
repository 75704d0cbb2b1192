/**
 * Node's modules for the integrity check, fetched when a check runs rather than imported: this folder is
 * re-exported by the browser-safe `./wasm` entry, so nothing here may import `node:*` at load time.
 */
export const nodeFs = () => process.getBuiltinModule('node:fs');
export const nodeCrypto = () => process.getBuiltinModule('node:crypto');
export const nodePath = () => process.getBuiltinModule('node:path');
export const nodeUrl = () => process.getBuiltinModule('node:url');

/** A path from a path or a file: URL. */
export function filePath(file: string | URL): string {
  return typeof file === 'string' ? file : nodeUrl().fileURLToPath(file);
}
