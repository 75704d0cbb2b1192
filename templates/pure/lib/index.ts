import { createHash, pbkdf2, webcrypto } from 'node:crypto';
import {
  LIMITS,
  checkData,
  checkIterations,
  checkPassword,
  checkSalt,
  createLimiter,
  withCallOptions,
  type CallOptions,
} from '@interop-module/runtime';

export { InteropError } from '@interop-module/runtime';
export type { CallOptions } from '@interop-module/runtime';

/** The baseline: Node's own crypto, no native code of ours. Measure this before going native. */
export const backend = 'pure' as const;

export function hashSync(data: Uint8Array): Uint8Array {
  const bytes = checkData(data);
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

export function hash(data: Uint8Array, options?: CallOptions): Promise<Uint8Array> {
  return withCallOptions(options, async () => {
    const bytes = checkData(data);
    // WebCrypto digests on libuv's thread pool, so large inputs do not block the event loop.
    return new Uint8Array(await webcrypto.subtle.digest('SHA-256', bytes));
  });
}

// node:crypto's PBKDF2 never yields its thread; with every core busy the OS would delay the event loop by
// milliseconds, so derivations run at most (cores - 1) at a time.
const derivations = createLimiter();

export function deriveKey(
  password: string | Uint8Array,
  salt: Uint8Array,
  iterations: number,
  options?: CallOptions,
): Promise<Uint8Array> {
  return withCallOptions(options, (cancel) => {
    const passwordBytes = checkPassword(password);
    const saltBytes = checkSalt(salt);
    const rounds = checkIterations(iterations);
    return derivations.run(
      () =>
        // node:crypto cannot interrupt a running PBKDF2: after an abort or timeout the caller is released at
        // once and the result is dropped, but a derivation still waiting for a slot never starts.
        new Promise<Uint8Array>((resolve, reject) => {
          if (cancel.aborted) return reject(cancel.reason);
          pbkdf2(passwordBytes, saltBytes, rounds, LIMITS.derivedKeyBytes, 'sha256', (error, key) =>
            error ? reject(error) : resolve(new Uint8Array(key)),
          );
        }),
    );
  });
}

/** Nothing to release: the pure backend holds no process, worker or instance. */
export async function close(): Promise<void> {}
