/** A digest of what a generated package was made from, so an unchanged package is reused, not rebuilt. */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

export interface FingerprintSource {
  /** A folder, or a single file. */
  path: string;
  /** Files to leave out, by path relative to `path`. */
  exclude?: (relativePath: string) => boolean;
}

async function filesOf(source: FingerprintSource): Promise<string[]> {
  const entries = await readdir(source.path, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOTDIR') return undefined;
    throw error;
  });
  if (entries === undefined) return [source.path];
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !(source.exclude?.(path.relative(source.path, file)) ?? false))
    .sort();
}

/**
 * SHA-256 over `salt` and every file's path and content, in a stable order. A source that does not
 * exist throws (ENOENT): a fingerprint of nothing would match a stale package.
 */
export async function fingerprint(sources: readonly FingerprintSource[], salt: string): Promise<string> {
  const digest = createHash('sha256').update(salt);
  for (const source of sources) {
    for (const file of await filesOf(source)) {
      // Lengths frame each part, so no two different trees hash the same bytes.
      const name = Buffer.from(file);
      const content = await readFile(file);
      digest.update(`${name.length}:`).update(name).update(`${content.length}:`).update(content);
    }
  }
  return digest.digest('hex');
}
