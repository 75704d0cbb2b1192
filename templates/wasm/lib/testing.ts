/**
 * Test-only entry: the crash triggers of the build made with `--features crash-tests`
 * (npm run build:crash, written to crash-build/module.wasm). The release module does not contain them.
 */
import { InteropError, type CallOptions, type CrashMode, type Satisfies, type TestingEntry } from '@interop-module/runtime/wasm';
import { operations, type OperationName } from './abi.js';
import { createWasmModule, defaultModule, type WasmModule } from './module.js';

/** Every crash mode of the contract; the wasm backend implements the ones in `crashOperations`. */
export type { CrashMode } from '@interop-module/runtime/wasm';

const crashOperations = new Map<CrashMode, OperationName>([
  ['trap', 'crashTrap'],
  ['hang', 'crashHang'],
]);

export const supportedCrashModes: readonly CrashMode[] = [...crashOperations.keys()];

export const crashBuildUrl = new URL('../crash-build/module.wasm', import.meta.url);

let crashBuild: Promise<WasmModule> | undefined;

/** The crash-tests build, loaded on first use (so importing this entry works before it exists). */
export function loadCrashBuild(): Promise<WasmModule> {
  crashBuild ??= (async () => {
    const module = createWasmModule({ wasmUrl: crashBuildUrl });
    try {
      await module.ready();
      return module;
    } catch (error) {
      crashBuild = undefined;
      throw new InteropError('ERR_INTERNAL', 'the crash-tests module is missing; run `npm run build:crash`', { cause: error });
    }
  })();
  return crashBuild;
}

/** Runs a crash trigger on a pool worker of the crash build: 'trap' → ERR_WASM_TRAP; 'hang' needs timeoutMs or a signal. */
export async function crash(mode: CrashMode, options?: CallOptions): Promise<void> {
  const operation = crashOperations.get(mode);
  if (operation === undefined) {
    throw new InteropError(
      'ERR_INVALID_ARG',
      `mode must be one of ${supportedCrashModes.join(', ')} for the wasm backend, got ${String(mode)}`,
    );
  }
  await (await loadCrashBuild()).offload(operation, [], options);
}

/**
 * A fresh module on the crash-tests build whose next call of a function added with
 * `create-interop-module add` traps, on this thread's instance or on its pool's one worker: the panic
 * test `add` writes runs that function's wrapper on it. Close it after.
 */
export async function armPanic(on: 'thread' | 'pool'): Promise<WasmModule> {
  const module = createWasmModule({ wasmUrl: crashBuildUrl, poolSize: 1 });
  await module.ready();
  if (on === 'thread') operations.crashArmPanic(module.runner);
  else await module.offload('crashArmPanic', []);
  return module;
}

/** Stops the crash build's pool. */
export async function closeCrashBuild(): Promise<void> {
  await (await crashBuild)?.close();
}

/** Hashers the default module's in-thread instance holds now. */
export async function liveHashers(): Promise<number> {
  return defaultModule.liveHashers();
}

/** `tsc` fails here when this entry drifts from the contract's testing entry. */
type MeetsTestingEntry = Satisfies<TestingEntry, typeof import('./testing.js')>;
