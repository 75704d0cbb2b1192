/**
 * The package's public API (the interop-module contract, @interop-module/runtime's `Contract`), served
 * by a supervised child process (the Rust executable built from src/main.rs). Arguments are checked
 * here, so callers get typed errors before anything is sent; the supervisor in
 * @interop-module/runtime/port does framing, ids, abort and timeout, restarts and the circuit breaker.
 */
import { checkData, checkDeriveKeyArguments, defineHasher } from '@interop-module/runtime';
import type { CallOptions, Contract, Satisfies } from '@interop-module/runtime';
import { pieces, type Port } from '@interop-module/runtime/port';
import { closeReleasePort, deriveKeyBody, hasherHandles, releasePorts } from './port.js';

export { InteropError } from '@interop-module/runtime';
export type { CallOptions } from '@interop-module/runtime';

export const backend = 'port';

/** Started by the first call rather than on import, and again by a call after close(). */
function currentPort(): Port {
  return releasePorts.current();
}

/** SHA-256, computed in the child. No hashSync: a port is asynchronous by nature. */
export async function hash(data: Uint8Array, options?: CallOptions): Promise<Uint8Array> {
  return currentPort().call('hash', checkData(data), options);
}

/** PBKDF2-HMAC-SHA256 in the child; abort and timeout also stop the loop there. Typed by the contract, the one home of its signature. */
export const deriveKey: Contract['deriveKey'] = async (password, salt, iterations, options) => {
  const args = checkDeriveKeyArguments(password, salt, iterations);
  return currentPort().call('deriveKey', deriveKeyBody(args.password, args.salt, args.iterations), options);
};

/**
 * Incremental SHA-256 (the contract's Hasher), its state in the child. An update goes in pieces of up to
 * 256 KiB, so no frame nears the limit. When the child dies, its hashers are lost: calls on them are
 * ERR_RESOURCE_LOST, and new hashers live in the restarted child.
 */
export const { createHasher, hashStream } = defineHasher({
  create: () => hasherHandles.create(),
  async update(handle, data, cancel) {
    for (const piece of pieces(data)) await hasherHandles.call(handle, 'update', piece, cancel);
  },
  digest: (handle, cancel) => hasherHandles.call(handle, 'digest', new Uint8Array(0), cancel),
  free: (handle) => hasherHandles.free(handle),
  lostOn: ['ERR_PORT_CRASHED'],
  isLost: (handle) => hasherHandles.isLost(handle),
});

/** Lets calls in flight finish (up to a grace period), then ends the child. Idempotent. */
export function close(): Promise<void> {
  return closeReleasePort();
}

// Functions added with `create-interop-module add`: each one's wrapper is lib/functions/<name>.ts.
// create-interop-module add: functions start
// create-interop-module add: functions end

/** `tsc` (so `npm run build` and `npm run lint`) fails here when an export of this entry drifts from the contract. */
type MeetsContract = Satisfies<Contract<{ sync: false }>, typeof import('./index.js')>;
