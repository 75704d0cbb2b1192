/**
 * Test-only entry: the crash triggers of the build made with `--features crash-tests`
 * (npm run build:crash, written to crash-build/), and ports with options of a test's choosing. The
 * release executable does not contain the triggers.
 */
import { InteropError, type CallOptions, type CrashMode, type Satisfies, type TestingEntry } from '@interop-module/runtime';
import type { Port } from '@interop-module/runtime/port';
import { hasherHandles, openPort, releasePorts } from './port.js';

export { executableFile, findExecutable, type PortBuild } from './executable.js';
export { deriveKeyBody, openPort } from './port.js';

/** Every crash mode of the contract; a port implements the ones in `supportedCrashModes`. */
export type { CrashMode } from '@interop-module/runtime';

export const supportedCrashModes: readonly CrashMode[] = ['panic', 'exit', 'hang', 'garbage', 'oversize'];

let crashPort: Port | undefined;

/** The port on the crash-tests build that crash() uses, started on first use. */
export function crashTestPort(): Port {
  crashPort ??= openPort('crash-tests');
  return crashPort;
}

/**
 * Makes the crash-tests port misbehave: 'panic' → ERR_NATIVE_PANIC (the process lives on); 'exit' →
 * ERR_PORT_CRASHED; 'hang' → never answers (use timeoutMs or a signal); 'garbage' → ERR_PROTOCOL;
 * 'oversize' → ERR_FRAME_TOO_LARGE. The supervisor restarts the port after the last three.
 */
export async function crash(mode: CrashMode, options?: CallOptions): Promise<void> {
  if (!supportedCrashModes.includes(mode)) {
    throw new InteropError(
      'ERR_INVALID_ARG',
      `mode must be one of ${supportedCrashModes.join(', ')} for the port backend, got ${String(mode)}`,
    );
  }
  await crashTestPort().call('crash', Buffer.from(mode, 'latin1'), options);
}

/**
 * The crash-tests port, its next call of a function added with `create-interop-module add` set to
 * panic (the port's `crash` method with `arm-panic`): the panic test `add` writes runs that
 * function's wrapper on it.
 */
export async function armPanic(): Promise<Port> {
  const port = crashTestPort();
  await port.call('crash', Buffer.from('arm-panic', 'latin1'));
  return port;
}

export async function closeCrashTestPort(): Promise<void> {
  const closing = crashPort;
  crashPort = undefined;
  await closing?.close();
}

/** Hashers whose state the release child holds now (starting it if none runs). */
export function liveHashers(): Promise<number> {
  return hasherHandles.live();
}

/** The release port's child pid, if one runs (a test kills it mid-stream). */
export function releasePortPid(): number | undefined {
  return releasePorts.open()?.pid;
}

/** `tsc` fails here when this entry drifts from the contract's testing entry. */
type MeetsTestingEntry = Satisfies<TestingEntry, typeof import('./testing.js')>;
