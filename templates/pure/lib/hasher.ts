import { createHash, type Hash } from 'node:crypto';
import { defineHasher, forEachSlice } from '@interop-module/runtime';

/** Bytes hashed per loop turn on this thread (~0.3 ms of SHA-256), as `hash` does with a large input. */
export const hashSliceBytes = 64 * 1024;

/**
 * Incremental SHA-256 (the contract's Hasher) on node:crypto's Hash, which lives on this thread: an update
 * is hashed a slice per loop turn, so even 64 MiB never holds the event loop. The runtime keeps the calls
 * in order and bounds how many are live; `live` counts them (the pure backend holds nothing else).
 */
export const hashers = defineHasher<Hash>({
  create: () => createHash('sha256'),
  onThisThread: true,
  async update(hasher, data, cancel) {
    if (!(await forEachSlice(data, cancel, (slice) => hasher.update(slice), hashSliceBytes))) throw cancel.reason;
  },
  digest: async (hasher) => new Uint8Array(hasher.digest()),
  free() {}, // garbage, once the runtime lets go of it
});
