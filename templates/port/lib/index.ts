/**
 * The package's public API (the interop-module contract, @interop-module/runtime's `Contract`), served
 * by a supervised child process (the Rust executable built from src/main.rs). Arguments are checked
 * here, so callers get typed errors before anything is sent; the supervisor in
 * @interop-module/runtime/port does framing, ids, abort and timeout, restarts and the circuit breaker.
 */
import { checkData, checkDeriveKeyArguments } from '@interop-module/runtime';
import type { CallOptions, Contract, Satisfies } from '@interop-module/runtime';
import type { Port } from '@interop-module/runtime/port';
import { deriveKeyBody, openPort } from './port.js';

export { InteropError } from '@interop-module/runtime';
export type { CallOptions } from '@interop-module/runtime';

export const backend = 'port';

let port: Port | undefined;

/** Started by the first call rather than on import, and again by a call after close(). */
function currentPort(): Port {
  port ??= openPort('release');
  return port;
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

/** Lets calls in flight finish (up to a grace period), then ends the child. Idempotent. */
export async function close(): Promise<void> {
  const closing = port;
  port = undefined;
  await closing?.close();
}

// Functions added with `create-interop-module add`: each one's wrapper is lib/functions/<name>.ts.
// create-interop-module add: functions start
// create-interop-module add: functions end

/** `tsc` (so `npm run build` and `npm run lint`) fails here when an export of this entry drifts from the contract. */
type MeetsContract = Satisfies<Contract<{ sync: false }>, typeof import('./index.js')>;
