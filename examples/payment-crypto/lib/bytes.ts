/** Argument checks shared by the payment APIs: each names the argument and says what was expected. */
import { InteropError, LIMITS, toInteropError } from '@interop-module/runtime';

/** What the caller passed instead, for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? `an instance of ${value.constructor?.name ?? 'Object'}` : `a ${typeof value}`;
}

export function invalidArg(message: string, cause?: unknown): InteropError {
  return new InteropError('ERR_INVALID_ARG', message, { cause });
}

/** A Uint8Array of exactly `size` bytes (keys, signatures). */
export function checkFixedBytes(value: unknown, name: string, size: number): Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalidArg(`${name} must be a ${size}-byte Uint8Array, got ${describe(value)}`);
  if (value.byteLength !== size) throw invalidArg(`${name} must be ${size} bytes, got ${value.byteLength}`);
  return value;
}

/** A Uint8Array within the contract's data limit (messages, plaintexts, aad). */
export function checkMessageBytes(value: unknown, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalidArg(`${name} must be a Uint8Array, got ${describe(value)}`);
  if (value.byteLength > LIMITS.maxDataBytes) {
    throw invalidArg(`${name} must be at most ${LIMITS.maxDataBytes} bytes, got ${value.byteLength}`);
  }
  return value;
}

/** Runs a synchronous native call so that whatever it throws arrives as an InteropError. */
export function callNative<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw toInteropError(error);
  }
}
