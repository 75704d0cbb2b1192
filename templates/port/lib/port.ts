/** How this package supervises its port: the executable lib/executable.ts finds, and the request bodies src/main.rs reads. */
import { LIMITS } from '@interop-module/runtime';
import { createPort, portResource, type Port, type PortAccess, type PortOptions } from '@interop-module/runtime/port';
import { findExecutable, type PortBuild } from './executable.js';

/** The deriveKey request body that src/main.rs reads: u32 iterations, u16 salt length, salt, password. */
export function deriveKeyBody(password: Uint8Array, salt: Uint8Array, iterations: number): Uint8Array {
  const body = Buffer.allocUnsafe(6 + salt.length + password.length);
  body.writeUInt32BE(iterations, 0);
  body.writeUInt16BE(salt.length, 4);
  body.set(salt, 6);
  body.set(password, 6 + salt.length);
  return body;
}

/** A supervised port on a build of src/main.rs; the child starts with the first call. */
export function openPort(build: PortBuild, overrides: Partial<PortOptions> = {}): Port {
  return createPort({
    command: findExecutable(build),
    // The contract accepts up to 64 MiB of data per call; requests carry a few bytes more.
    maxFrameBytes: LIMITS.maxDataBytes + 1024,
    ...overrides,
  });
}

let releasePort: Port | undefined;

/** The package's port on the release build: started by the first call, and again by a call after closeReleasePort(). */
export const releasePorts: PortAccess = {
  current: () => (releasePort ??= openPort('release')),
  open: () => releasePort,
};

/** Lets calls in flight finish (up to a grace period), then ends the child. Idempotent. */
export async function closeReleasePort(): Promise<void> {
  const closing = releasePort;
  releasePort = undefined;
  await closing?.close();
}

/** The hashers' state in the release child (src/main.rs registers it); a handle names one there. */
export const hasherHandles = portResource(releasePorts, 'hasher');
