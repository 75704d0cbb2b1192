/**
 * The argument checks of the functions `create-interop-module add` writes (lib/functions/): each names
 * its argument and what it must be, and returns the value to pass on. Imported from the runtime's
 * browser-safe entry, so the wasm kind's pages load it too; its InteropError and LIMITS are the root
 * entry's.
 */
import { InteropError, LIMITS } from '@interop-module/runtime/wasm';

export const ARGUMENT_LIMITS = Object.freeze({
  /** A bytes argument, as the contract's `data`. */
  maxBytes: LIMITS.maxDataBytes,
  /** A string argument, in UTF-8: strings are encoded when the call is made, so no more than is copied at a call. */
  maxStringBytes: LIMITS.copiedAtCallBytes,
  maxU32: 0xffff_ffff,
});

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an instance of ${value.constructor?.name ?? 'Object'}`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return `a ${typeof value}`;
}

function invalid(name: string, mustBe: string, value: unknown): InteropError {
  return new InteropError('ERR_INVALID_ARG', `${name} must be ${mustBe}, got ${describe(value)}`);
}

export function checkBytes(name: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalid(name, 'a Uint8Array', value);
  if (value.byteLength > ARGUMENT_LIMITS.maxBytes) {
    throw new InteropError('ERR_INVALID_ARG', `${name} must be at most ${ARGUMENT_LIMITS.maxBytes} bytes, got ${value.byteLength}`);
  }
  return value;
}

const utf8 = new TextEncoder();

export function checkString(name: string, value: unknown): string {
  if (typeof value !== 'string') throw invalid(name, 'a string', value);
  // A UTF-16 unit is at most 3 bytes of UTF-8: only a long string needs encoding to be measured.
  if (value.length * 3 > ARGUMENT_LIMITS.maxStringBytes) {
    const bytes = utf8.encode(value).byteLength;
    if (bytes > ARGUMENT_LIMITS.maxStringBytes) {
      throw new InteropError('ERR_INVALID_ARG', `${name} must be at most ${ARGUMENT_LIMITS.maxStringBytes} bytes of UTF-8, got ${bytes}`);
    }
  }
  return value;
}

export function checkU32(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > ARGUMENT_LIMITS.maxU32) {
    throw invalid(name, `an integer from 0 to ${ARGUMENT_LIMITS.maxU32}`, value);
  }
  return value;
}

/** A finite number: NaN and the infinities have no single meaning to carry across a boundary. */
export function checkF64(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(name, 'a finite number', value);
  return value;
}

export function checkBool(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalid(name, 'true or false', value);
  return value;
}
