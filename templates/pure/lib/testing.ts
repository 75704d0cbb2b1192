import { InteropError, withCallOptions, type CallOptions } from '@interop-module/runtime';

/** Crash modes the pure backend can stage; the others need native code. */
export const supportedCrashModes: readonly string[] = ['hang'];

/**
 * Test-only failure injection. 'hang' never settles by itself, so only timeoutMs or an AbortSignal can
 * end it — which is what the tests check. Not exported from the package's main entry.
 */
export function crash(mode: string, options?: CallOptions): Promise<void> {
  if (mode !== 'hang') {
    return Promise.reject(
      new InteropError('ERR_INVALID_ARG', `mode must be one of ${supportedCrashModes.join(', ')} for the pure backend, got ${mode}`),
    );
  }
  return withCallOptions(options, () => new Promise<void>(() => {}));
}
