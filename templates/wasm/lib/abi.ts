/**
 * The calls into src/lib.rs, by name. They run in-thread (hashSync) and inside the runtime's pool
 * workers, which import this file by URL — so it imports nothing at run time (types only).
 */
import type { AbiExports, WasmRunner } from '@interop-module/runtime/wasm';

interface ContractExports extends AbiExports {
  interop_output(): number;
  interop_sha256(pointer: number, length: number): void;
  interop_pbkdf2_sha256(password: number, passwordLength: number, salt: number, saltLength: number, iterations: number): void;
  interop_crash_trap?(): void;
  interop_crash_hang?(): void;
}

const resultBytes = 32;

function crashTrigger(runner: WasmRunner, name: 'interop_crash_trap' | 'interop_crash_hang'): void {
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
};

export type OperationName = keyof typeof operations;
