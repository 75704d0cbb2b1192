/**
 * The package's public API (the interop-module contract, @interop-module/runtime's `Contract`), backed
 * by the napi-rs addon in src/lib.rs. Arguments are checked here so callers get typed errors before
 * anything crosses into Rust.
 */
import { checkData, checkDeriveKeyArguments, defineHasher, toInteropError, withCallOptions } from '@interop-module/runtime';
import type { CallOptions, Contract, Satisfies } from '@interop-module/runtime';
import { native } from './addon.js';

export { InteropError } from '@interop-module/runtime';
export type { CallOptions } from '@interop-module/runtime';

export const backend = 'napi';

/**
 * SHA-256 on a libuv pool thread. Abort/timeout settle the promise at once; the hash itself runs to
 * the end, which the 64 MiB input limit keeps to a fraction of a second. The addon copies the bytes
 * up to LIMITS.copiedAtCallBytes before this returns (the caller may reuse its buffer at once, as with
 * every kind); a larger input is read in place and must not change until the call settles.
 */
export async function hash(data: Uint8Array, options?: CallOptions): Promise<Uint8Array> {
  const bytes = checkData(data);
  return withCallOptions(options, () => native.hash(bytes));
}

export function hashSync(data: Uint8Array): Uint8Array {
  const bytes = checkData(data);
  try {
    return native.hashSync(bytes);
  } catch (error) {
    throw toInteropError(error);
  }
}

/**
 * PBKDF2-HMAC-SHA256 on a libuv pool thread; abort/timeout also stop the Rust loop, freeing the thread.
 * Typed by the contract, the one home of its signature.
 */
export const deriveKey: Contract['deriveKey'] = async (password, salt, iterations, options) => {
  const args = checkDeriveKeyArguments(password, salt, iterations);
  return withCallOptions(options, (cancel) => withCancelToken(cancel, (token) => native.deriveKey(args.password, args.salt, args.iterations, token)));
};

/**
 * Runs `call` with a native CancelToken that `cancel` sets, so the Rust side stops at its next checkpoint;
 * the listener goes when the call settles (a hasher's signal may outlive thousands of calls).
 */
async function withCancelToken<T>(cancel: AbortSignal, call: (token: InstanceType<typeof native.CancelToken>) => Promise<T>): Promise<T> {
  const token = new native.CancelToken();
  const stop = () => token.cancel();
  cancel.addEventListener('abort', stop, { once: true });
  try {
    return await call(token);
  } finally {
    cancel.removeEventListener('abort', stop);
  }
}

/** Updates up to this size are hashed on this thread (~0.2 ms at most): a trip to the pool costs more than that. */
const inThreadUpdateBytes = 256 * 1024;

/**
 * Incremental SHA-256 (the contract's Hasher): the state is a NativeHasher in Rust (src/lib.rs); a large
 * update runs on the libuv pool and stops at the next 256 KiB when given up. The runtime keeps the calls in
 * order, frees the state on digest, dispose or garbage collection, and bounds how many are live.
 */
export const { createHasher, hashStream } = defineHasher({
  create: () => new native.NativeHasher(),
  onThisThread: true, // updates up to inThreadUpdateBytes
  async update(hasher, data, cancel) {
    if (data.byteLength > inThreadUpdateBytes) return withCancelToken(cancel, (token) => hasher.update(data, token));
    hasher.updateSync(data);
  },
  digest: async (hasher) => hasher.digest(),
  free: (hasher) => hasher.free(),
});

/**
 * Nothing to release: the addon holds no threads or handles of its own (work runs on Node's libuv
 * pool) and Node unloads it with the process. Kept so callers can switch backends freely.
 */
export async function close(): Promise<void> {}

// Functions added with `create-interop-module add`: each one's wrapper is lib/functions/<name>.ts.
// create-interop-module add: functions start
// create-interop-module add: functions end

/** `tsc` (so `npm run build` and `npm run lint`) fails here when an export of this entry drifts from the contract. */
type MeetsContract = Satisfies<Contract<{ sync: true }>, typeof import('./index.js')>;
