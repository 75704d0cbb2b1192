import { InteropError } from '../errors.js';
import { filePath, nodeCrypto, nodeFs, nodePath } from './node.js';

/**
 * integrity.json, which a package's build writes next to its package.json: the SHA-256 of every binary
 * the package ships — its own, and those of its per-platform packages — by the name its loader asks for
 * (`demo.linux-x64-gnu.node`, `linux-x64/port`, `module.wasm`). A platform package is installed
 * separately from the main one, so the main package's list is what ties the two together.
 */
export const INTEGRITY_MANIFEST = 'integrity.json';

export interface IntegrityManifest {
  algorithm: 'sha256';
  /** Hex SHA-256 by binary name. */
  binaries: Record<string, string>;
}

/** The folder a package's integrity.json and package.json are in, as a path. */
export function manifestFile(packageRoot: string | URL): string {
  return nodePath().join(filePath(packageRoot), INTEGRITY_MANIFEST);
}

export function sha256(bytes: Uint8Array): string {
  return nodeCrypto().createHash('sha256').update(bytes).digest('hex');
}

const hexDigest = /^[0-9a-f]{64}$/;

function isManifest(value: unknown): value is IntegrityManifest {
  if (typeof value !== 'object' || value === null) return false;
  const { algorithm, binaries } = value as Partial<IntegrityManifest>;
  return (
    algorithm === 'sha256' &&
    typeof binaries === 'object' &&
    binaries !== null &&
    Object.values(binaries).every((digest) => typeof digest === 'string' && hexDigest.test(digest))
  );
}

/** The package's integrity.json; ERR_NATIVE_INTEGRITY when it is missing or not one. */
export function readIntegrityManifest(packageRoot: string | URL): IntegrityManifest {
  const file = manifestFile(packageRoot);
  let text: string;
  try {
    text = nodeFs().readFileSync(file, 'utf8');
  } catch (error) {
    throw new InteropError(
      'ERR_NATIVE_INTEGRITY',
      `${file} is missing, so no binary of this package can be checked before it is loaded: reinstall the package, or run \`npm run build\` in it if you are developing it`,
      { cause: error },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InteropError('ERR_NATIVE_INTEGRITY', `${file} is not JSON: reinstall the package, or run \`npm run build\` in it`, { cause: error });
  }
  if (!isManifest(parsed)) {
    throw new InteropError(
      'ERR_NATIVE_INTEGRITY',
      `${file} is not an integrity manifest ({ "algorithm": "sha256", "binaries": { name: hex digest } }): reinstall the package, or run \`npm run build\` in it`,
    );
  }
  return parsed;
}

/**
 * Writes integrity.json for `binaries` (name → the file's path), for build scripts; returns the digests.
 * Names are sorted, so the same binaries always give the same file.
 */
export function writeIntegrityManifest(packageRoot: string | URL, binaries: Readonly<Record<string, string>>): Record<string, string> {
  const digests = Object.fromEntries(
    Object.keys(binaries)
      .sort()
      .map((name) => [name, sha256(nodeFs().readFileSync(binaries[name]!))]),
  );
  const manifest: IntegrityManifest = { algorithm: 'sha256', binaries: digests };
  nodeFs().writeFileSync(manifestFile(packageRoot), `${JSON.stringify(manifest, null, 2)}\n`);
  return digests;
}
