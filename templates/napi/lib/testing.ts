/**
 * Test-only entry: drives the crash triggers of the build made with `--features crash-tests`
 * (npm run build:crash, written to crash-build/). The release addon does not contain them.
 */
import { createRequire } from 'node:module';
import {
  InteropError,
  toInteropError,
  withCallOptions,
  type CallOptions,
  type CrashMode,
  type Satisfies,
  type TestingEntry,
} from '@interop-module/runtime';

/** Every crash mode of the contract; this backend implements the ones in `crashTriggers`. */
export type { CrashMode } from '@interop-module/runtime';

interface CrashBinding {
  hashSync(data: Uint8Array): Uint8Array;
  crashPanic(): void;
  crashPanicOffloaded(): Promise<void>;
  crashAbort(): void;
  crashArmPanic(): void;
}

const crashTriggers = new Map<CrashMode, (binding: CrashBinding) => void | Promise<void>>([
  ['panic', (binding) => binding.crashPanic()],
  ['panic-offloaded', (binding) => binding.crashPanicOffloaded()],
  ['abort', (binding) => binding.crashAbort()],
]);

export const supportedCrashModes: readonly CrashMode[] = [...crashTriggers.keys()];

let crashBinding: CrashBinding | undefined;

/** Loaded on first use, so importing this entry works even before the crash build exists. */
function loadCrashBinding(): CrashBinding {
  try {
    crashBinding ??= createRequire(import.meta.url)('../crash-build/index.cjs') as CrashBinding;
    return crashBinding;
  } catch (error) {
    throw new InteropError('ERR_INTERNAL', 'the crash-enabled addon is missing; run `npm run build:crash`', {
      cause: error,
    });
  }
}

/** Runs a crash trigger. 'abort' ends the process, so call it in a child (runInChild). */
export async function crash(mode: CrashMode, options?: CallOptions): Promise<void> {
  const trigger = crashTriggers.get(mode);
  if (trigger === undefined) {
    throw new InteropError(
      'ERR_INVALID_ARG',
      `mode must be one of ${supportedCrashModes.join(', ')} for the napi backend, got ${String(mode)}`,
    );
  }
  const binding = loadCrashBinding();
  return withCallOptions(options, async () => trigger(binding));
}

/** hashSync on the crash-enabled addon: proves that addon still works after one of its calls panicked. */
export function crashBuildHashSync(data: Uint8Array): Uint8Array {
  const binding = loadCrashBinding();
  try {
    return binding.hashSync(data);
  } catch (error) {
    throw toInteropError(error);
  }
}

/**
 * The crash-enabled addon, its next call of a function added with `create-interop-module add` set to
 * panic: the panic test `add` writes runs that function's wrapper on it. The addon has every export
 * of the release one, and the crash triggers besides.
 */
export function armPanic(): typeof import('../index.cjs') {
  const binding = loadCrashBinding();
  binding.crashArmPanic();
  return binding as unknown as typeof import('../index.cjs');
}

/** Hashers whose state the release addon holds now (the leak tests read it). Loads it on first use, as crash() loads its build. */
export async function liveHashers(): Promise<number> {
  const { native } = await import('./addon.js');
  return native.liveHashers();
}

/** `tsc` fails here when this entry drifts from the contract's testing entry. */
type MeetsTestingEntry = Satisfies<TestingEntry, typeof import('./testing.js')>;
