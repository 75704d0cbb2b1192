import type { Hasher } from '../resources/hasher.js';

/**
 * Gives `hasher` each of `chunks` and digests it; `awaitEach` awaits every update before the next, else
 * they are all made at once and must still apply in order. The updates' own failures are not swallowed.
 */
export async function chunkedDigest(hasher: Hasher, chunks: readonly Uint8Array[], awaitEach: boolean): Promise<Uint8Array> {
  const updates: Promise<void>[] = [];
  for (const chunk of chunks) {
    const update = hasher.update(chunk);
    if (awaitEach) await update;
    updates.push(update);
  }
  const digest = await hasher.digest();
  await Promise.all(updates);
  return digest;
}
