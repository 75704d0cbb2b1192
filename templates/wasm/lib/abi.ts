/**
 * The calls into src/lib.rs, by name. They run in-thread (hashSync) and inside the runtime's pool
 * workers, which import this file by URL — so it imports nothing at run time (types only).
 */
import type { AbiExports, WasmRunner } from '@interop-module/runtime/wasm';

/** The exports of src/lib.rs (the crash triggers only in the crash-tests build). */
export interface ContractExports extends AbiExports {
  interop_output(): number;
  interop_sha256(pointer: number, length: number): void;
  interop_pbkdf2_sha256(password: number, passwordLength: number, salt: number, saltLength: number, iterations: number): void;
  interop_crash_trap?(): void;
  interop_crash_hang?(): void;
  interop_crash_arm_panic?(): void;
  interop_result(): number;
  interop_result_len(): number;
  interop_hasher_create(): number;
  interop_hasher_update(handle: number, pointer: number, length: number): number;
  interop_hasher_digest(handle: number): number;
  interop_hasher_free(handle: number): void;
  interop_hasher_live(): number;
}

/** The export of a function added with `create-interop-module add` (src/functions/mod.rs): its packed arguments in, a number or nothing out. */
type AddedExport = (pointer: number, length: number) => number | undefined;

// A leading U+FEFF is text, not a byte-order mark: decoding must not drop it (Rust keeps it).
const fromUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Runs the added function's export `name` on `input` (its arguments, packed by lib/packed-arguments.ts);
 * `read` makes the result from what the export returned, or from the bytes it left with `write_result`.
 */
function runAdded<T>(runner: WasmRunner, name: string, input: Uint8Array, read: (returned: number, result: () => Uint8Array) => T): T {
  return runner.run<T, ContractExports>((session) => {
    const run = session.exports[name] as AddedExport;
    const returned = run(...session.input(input)) ?? 0;
    return read(returned, () => session.output(session.exports.interop_result(), session.exports.interop_result_len()));
  });
}

export const resultBytes = 32;

function crashTrigger(runner: WasmRunner, name: 'interop_crash_trap' | 'interop_crash_hang' | 'interop_crash_arm_panic'): void {
  runner.run<void, ContractExports>(({ exports }) => {
    const trigger = exports[name];
    // The "ERR_…:" prefix becomes the error's code (toInteropError).
    if (trigger === undefined) throw new Error(`ERR_INTERNAL: ${name} exists only in the crash-tests build`);
    trigger();
  });
}

export const operations = {
  sha256(runner: WasmRunner, data: Uint8Array): Uint8Array {
    return runner.run<Uint8Array, ContractExports>((session) => {
      session.exports.interop_sha256(...session.input(data));
      return session.output(session.exports.interop_output(), resultBytes);
    });
  },
  pbkdf2Sha256(runner: WasmRunner, password: Uint8Array, salt: Uint8Array, iterations: number): Uint8Array {
    return runner.run<Uint8Array, ContractExports>((session) => {
      session.exports.interop_pbkdf2_sha256(...session.input(password), ...session.input(salt), iterations);
      return session.output(session.exports.interop_output(), resultBytes);
    });
  },
  /** Linear memory of the runner's instance, for the leak tests (pool workers report their own). */
  memoryBytes(runner: WasmRunner): number {
    return runner.memoryBytes;
  },
  crashTrap(runner: WasmRunner): void {
    crashTrigger(runner, 'interop_crash_trap');
  },
  crashHang(runner: WasmRunner): void {
    crashTrigger(runner, 'interop_crash_hang');
  },
  /** The next call of a function added with `create-interop-module add` on this runner's instance traps. */
  crashArmPanic(runner: WasmRunner): void {
    crashTrigger(runner, 'interop_crash_arm_panic');
  },
  // Functions added with `create-interop-module add`, each on its export in src/functions/mod.rs.
  // create-interop-module add: functions start
  // create-interop-module add: functions end
};

export type OperationName = keyof typeof operations;
