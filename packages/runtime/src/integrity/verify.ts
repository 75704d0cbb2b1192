import { InteropError } from '../errors.js';
import { manifestFile, readIntegrityManifest, sha256 } from './manifest.js';
import { filePath, nodeFs, nodePath } from './node.js';
import { overrideVariable } from './override.js';
import { packageIdentity } from './package-identity.js';

export interface BinaryToLoad {
  /** The package's folder: its package.json and integrity.json. */
  packageRoot: string | URL;
  /** The binary's name in integrity.json. */
  name: string;
  /** The file about to be loaded (from this package, or one of its platform packages). */
  file: string | URL;
  /** The file's bytes, when the loader has read them already (a wasm module): hashed instead of read again. */
  bytes?: Uint8Array;
}

/** Files already found to match, by package, name and path, with the size and time they had then. */
const verified = new Map<string, string>();

function refusal(binary: BinaryToLoad, file: string, problem: string): InteropError {
  const { label, name } = packageIdentity(binary.packageRoot);
  return new InteropError(
    'ERR_NATIVE_INTEGRITY',
    `refusing to load ${file}: ${problem}. It changed after it was built, or it comes from another build than the one ` +
      `published with ${label}. To fix it, reinstall ${label} with its platform packages (remove node_modules, then ` +
      `\`npm install\`), or run \`npm run build\` if you are developing ${name}; to load a binary of your own on purpose, ` +
      `set ${overrideVariable(name)} to its path.`,
  );
}

/**
 * Checks the binary a loader is about to load against its package's integrity.json: a file whose SHA-256
 * differs from the listed one, or whose name the list lacks, is refused with ERR_NATIVE_INTEGRITY naming
 * the file, both digests and the fix. Each file is checked once per process (again only if its size or
 * modification time changed), so loaders may call this on every load.
 */
export function verifyBinary(binary: BinaryToLoad): void {
  const file = nodePath().resolve(filePath(binary.file));
  const root = nodePath().resolve(filePath(binary.packageRoot));
  let stats;
  try {
    stats = nodeFs().statSync(file);
  } catch (error) {
    throw new InteropError('ERR_NATIVE_INTEGRITY', `cannot check ${file} before loading it: ${(error as Error).message}`, { cause: error });
  }
  const key = `${root}\0${binary.name}\0${file}`;
  const state = `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
  if (verified.get(key) === state) return;

  const { binaries } = readIntegrityManifest(root);
  const { label } = packageIdentity(root);
  const expected = binaries[binary.name];
  if (expected === undefined) {
    const listed = Object.keys(binaries).join(', ') || 'nothing';
    throw refusal(binary, file, `${label}'s integrity manifest (${manifestFile(root)}) has no digest for ${binary.name} (it lists ${listed})`);
  }
  const actual = sha256(binary.bytes ?? nodeFs().readFileSync(file));
  if (actual !== expected) {
    throw refusal(
      binary,
      file,
      `its SHA-256 is ${actual}, but ${label}'s integrity manifest (${manifestFile(root)}) expects ${expected} for ${binary.name}`,
    );
  }
  verified.set(key, state);
}
