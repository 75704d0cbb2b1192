import { InteropError } from './errors.js';

/** Input bounds of the contract (CONTRACT.md); every kind checks the same ones. */
export const LIMITS = Object.freeze({
  maxDataBytes: 64 * 1024 * 1024,
  maxPasswordBytes: 1024,
  minSaltBytes: 8,
  maxSaltBytes: 1024,
  minIterations: 1,
  maxIterations: 10_000_000,
  derivedKeyBytes: 32,
  /** Inputs up to this size are copied when a call is made; larger ones are read while it runs (see large-input.ts). */
  copiedAtCallBytes: 1024 * 1024,
});

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an instance of ${value.constructor?.name ?? 'Object'}`;
  return `a ${typeof value}`;
}

function invalid(message: string): InteropError {
  return new InteropError('ERR_INVALID_ARG', message);
}

export function checkData(data: unknown): Uint8Array {
  if (!(data instanceof Uint8Array)) throw invalid(`data must be a Uint8Array, got ${describe(data)}`);
  if (data.byteLength > LIMITS.maxDataBytes) {
    throw invalid(`data must be at most ${LIMITS.maxDataBytes} bytes, got ${data.byteLength}`);
  }
  return data;
}

const utf8 = new TextEncoder();

export function checkPassword(password: unknown): Uint8Array {
  let bytes: Uint8Array;
  if (typeof password === 'string') bytes = utf8.encode(password);
  else if (password instanceof Uint8Array) bytes = password;
  else throw invalid(`password must be a string or a Uint8Array, got ${describe(password)}`);
  if (bytes.byteLength > LIMITS.maxPasswordBytes) {
    throw invalid(`password must be at most ${LIMITS.maxPasswordBytes} bytes (UTF-8), got ${bytes.byteLength}`);
  }
  return bytes;
}

export function checkSalt(salt: unknown): Uint8Array {
  if (!(salt instanceof Uint8Array)) throw invalid(`salt must be a Uint8Array, got ${describe(salt)}`);
  if (salt.byteLength < LIMITS.minSaltBytes || salt.byteLength > LIMITS.maxSaltBytes) {
    throw invalid(
      `salt must be ${LIMITS.minSaltBytes} to ${LIMITS.maxSaltBytes} bytes, got ${salt.byteLength}`,
    );
  }
  return salt;
}

export function checkIterations(iterations: unknown): number {
  if (
    typeof iterations !== 'number' ||
    !Number.isInteger(iterations) ||
    iterations < LIMITS.minIterations ||
    iterations > LIMITS.maxIterations
  ) {
    throw invalid(
      `iterations must be an integer from ${LIMITS.minIterations} to ${LIMITS.maxIterations}, got ${
        typeof iterations === 'number' ? iterations : describe(iterations)
      }`,
    );
  }
  return iterations;
}

/** deriveKey's arguments, checked in the contract's order. */
export interface DeriveKeyArguments {
  password: Uint8Array;
  salt: Uint8Array;
  iterations: number;
}

/**
 * Checks deriveKey's arguments in order (password, salt, iterations: the first bad one is the error) and
 * returns copies of the bytes (at most 1 KiB each), so a derivation that runs after the call returns, on
 * a pool thread, a worker or in a child, never reads a buffer the caller has since changed.
 */
export function checkDeriveKeyArguments(password: unknown, salt: unknown, iterations: unknown): DeriveKeyArguments {
  const passwordBytes = new Uint8Array(checkPassword(password));
  const saltBytes = new Uint8Array(checkSalt(salt));
  return { password: passwordBytes, salt: saltBytes, iterations: checkIterations(iterations) };
}
