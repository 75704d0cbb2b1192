import { InteropError, withCallOptions, type CallOptions, type CrashMode, type Satisfies, type TestingEntry } from '@interop-module/runtime';
import { hashers } from './hasher.js';

/** Every crash mode of the contract; the pure backend can stage only 'hang', the others need native code. */
export type { CrashMode } from '@interop-module/runtime';

export const supportedCrashModes: readonly CrashMode[] = ['hang'];

/**
 * Test-only failure injection. 'hang' never settles by itself, so only timeoutMs or an AbortSignal can
 * end it — which is what the tests check. Not exported from the package's main entry.
 */
export function crash(mode: CrashMode, options?: CallOptions): Promise<void> {
  if (mode !== 'hang') {
    return Promise.reject(
      new InteropError('ERR_INVALID_ARG', `mode must be one of ${supportedCrashModes.join(', ')} for the pure backend, got ${String(mode)}`),
    );
  }
  return withCallOptions(options, () => new Promise<void>(() => {}));
}

/** Hashers live now: node:crypto's, held by the runtime's table until digest, dispose or garbage collection. */
export async function liveHashers(): Promise<number> {
  return hashers.live;
}

/** `tsc` fails here when this entry drifts from the contract's testing entry. */
type MeetsTestingEntry = Satisfies<TestingEntry, typeof import('./testing.js')>;
