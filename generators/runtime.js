import { readFileSync } from 'node:fs';

// In the repository this is packages/runtime/package.json; the CLI's build copies that manifest to
// the same relative place under assets/, so both layouts read the version the same way.
const runtimeManifestUrl = new URL('../packages/runtime/package.json', import.meta.url);

/**
 * The version of @interop-module/runtime this generator was built with (the companion crate's too).
 * @returns {string}
 */
export function runtimeVersion() {
  return JSON.parse(readFileSync(runtimeManifestUrl, 'utf8')).version;
}

/**
 * The dependency range a generated package uses for @interop-module/runtime when nobody
 * overrides it: a caret range on the runtime version this generator was built with.
 * @returns {string}
 */
export function runtimeVersionRange() {
  return `^${runtimeVersion()}`;
}
