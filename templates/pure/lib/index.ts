import { createHash, pbkdf2, webcrypto } from 'node:crypto';
import { LIMITS, checkData, checkDeriveKeyArguments, createLimiter, forEachSlice, isCopiedAtCall, withCallOptions } from '@interop-module/runtime';
import type { CallOptions, Contract, Satisfies } from '@interop-module/runtime';
import { closeFunctionWorkers } from './function-workers.js';
import { hashSliceBytes, hashers } from './hasher.js';

export { InteropError } from '@interop-module/runtime';
export type { CallOptions } from '@interop-module/runtime';

/** The baseline: Node's own crypto, no native code of ours. Measure this before going native. */
export const backend = 'pure' as const;

export function hashSync(data: Uint8Array): Uint8Array {
  const bytes = checkData(data);
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

export function hash(data: Uint8Array, options?: CallOptions): Promise<Uint8Array> {
  return withCallOptions(options, async (cancel) => {
    const bytes = checkData(data);
    // WebCrypto copies its input before it returns, then digests on libuv's thread pool: right up to
    // LIMITS.copiedAtCallBytes. A larger input is hashed here a slice per loop turn instead, since
    // copying 64 MiB at once would hold the event loop for tens of milliseconds.
    if (isCopiedAtCall(bytes)) return new Uint8Array(await webcrypto.subtle.digest('SHA-256', bytes));
    const hasher = createHash('sha256');
    if (!(await forEachSlice(bytes, cancel, (slice) => hasher.update(slice), hashSliceBytes))) throw cancel.reason;
    return new Uint8Array(hasher.digest());
  });
}

/** Incremental SHA-256 (lib/hasher.ts), and a stream hashed through it. */
export const { createHasher, hashStream } = hashers;

// node:crypto's PBKDF2 never yields its thread; with every core busy the OS would delay the event loop by
// milliseconds, so derivations run at most (cores - 1) at a time.
const derivations = createLimiter();

/** PBKDF2-HMAC-SHA256 on libuv's thread pool. Typed by the contract, the one home of its signature. */
export const deriveKey: Contract['deriveKey'] = (password, salt, iterations, options) =>
  withCallOptions(options, (cancel) => {
    // Copies: a derivation may wait for a slot, and starts after this returns.
    const args = checkDeriveKeyArguments(password, salt, iterations);
    return derivations.run(
      () =>
        // node:crypto cannot interrupt a running PBKDF2: after an abort or timeout the caller is released at
        // once and the result is dropped, but a derivation still waiting for a slot never starts.
        new Promise<Uint8Array>((resolve, reject) => {
          if (cancel.aborted) return reject(cancel.reason);
          pbkdf2(args.password, args.salt, args.iterations, LIMITS.derivedKeyBytes, 'sha256', (error, key) =>
            error ? reject(error) : resolve(new Uint8Array(key)),
          );
        }),
    );
  });

/** Ends the worker threads of offloaded added functions, if any ran; a later call starts new ones. */
export async function close(): Promise<void> {
  await closeFunctionWorkers();
}

// Functions added with `create-interop-module add`: each one's wrapper is lib/functions/<name>.ts.
// create-interop-module add: functions start
// create-interop-module add: functions end

/** `tsc` (so `npm run build` and `npm run lint`) fails here when an export of this entry drifts from the contract. */
type MeetsContract = Satisfies<Contract<{ sync: true }>, typeof import('./index.js')>;
