import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The companion crate `interop-module` (packages/interop-module-rs): the Rust side of the runtime,
 * which generated Rust packages depend on. It is not on crates.io, so each generated package carries
 * a copy in `vendor/interop-module`, and its Cargo.toml names it with a version and that path.
 *
 * Relative to this file, so the copy shipped in the CLI package finds it: copy-assets.mjs puts the
 * crate at assets/packages/interop-module-rs, next to assets/generators.
 */
export const companionCrateDir = fileURLToPath(new URL('../packages/interop-module-rs/', import.meta.url));

/** Where a generated package keeps its copy, relative to its root (always with '/'). */
export const vendoredCrateDir = 'vendor/interop-module';

/**
 * The crate's source as sorted paths relative to `directory`: its manifest, README and Rust sources,
 * which is what `cargo package` packs (its Cargo.toml `include`; the crate's npm test checks the two
 * agree). Tests run by npm and build output are left out.
 * @param {string} [directory]
 * @returns {Promise<string[]>}
 */
export async function companionCrateFiles(directory = companionCrateDir) {
  const entries = await readdir(path.join(directory, 'src'), { recursive: true, withFileTypes: true });
  const sources = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.rs'))
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)));
  return ['Cargo.toml', 'README.md', ...sources].sort();
}

/**
 * Whether a package's Cargo.toml depends on the vendored copy.
 * @param {string} cargoManifest the text of Cargo.toml
 */
export function usesVendoredCrate(cargoManifest) {
  return cargoManifest.includes(`path = "${vendoredCrateDir}"`);
}

/**
 * Copies the crate's source from `from` into `to`.
 * @param {string} from the crate's folder
 * @param {string} to the destination folder
 * @returns {Promise<string[]>} the files copied, relative to both
 */
export async function copyCompanionCrate(from, to) {
  const files = await companionCrateFiles(from);
  for (const file of files) {
    await mkdir(path.dirname(path.join(to, file)), { recursive: true });
    await copyFile(path.join(from, file), path.join(to, file));
  }
  return files;
}
