/**
 * The closed set of error codes every interop module uses. Codes may be added; none is ever reused for
 * a different meaning, so callers can branch on `error.code` across releases.
 */
export const ERROR_CODES = [
  'ERR_INVALID_ARG',
  'ERR_ABORTED',
  'ERR_TIMEOUT',
  'ERR_NATIVE_PANIC',
  'ERR_WASM_TRAP',
  'ERR_WASM_MEMORY',
  'ERR_PORT_CRASHED',
  'ERR_PORT_UNAVAILABLE',
  'ERR_FRAME_TOO_LARGE',
  'ERR_PROTOCOL',
  'ERR_BACKPRESSURE',
  'ERR_DECRYPT',
  'ERR_INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const knownCodes: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && knownCodes.has(value);
}

/**
 * Marks every InteropError, whichever copy of the runtime made it: two packages installed side by side
 * can each carry their own runtime, and their classes are then different objects. `Symbol.for` keys
 * live in one registry shared by every module and realm of the process, so all copies agree on it.
 */
const interopErrorBrand = Symbol.for('@interop-module/runtime.InteropError');

function isBranded(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[interopErrorBrand] === true;
}

export class InteropError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InteropError';
    this.code = code;
  }

  /**
   * `error instanceof InteropError` holds for an InteropError of any runtime copy. A subclass keeps
   * the ordinary prototype check: its instances are the only ones that have its methods. (No type
   * predicate: TypeScript would then narrow a subclass's `instanceof` to InteropError, not the subclass.)
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== InteropError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return isBranded(value);
  }
}

// On the prototype, so instances of subclasses carry it too, and it costs nothing per error.
Object.defineProperty(InteropError.prototype, interopErrorBrand, { value: true });

/** True for an InteropError made by any copy of the runtime (and, with `code`, only with that code). */
export function isInteropError(value: unknown, code?: ErrorCode): value is InteropError {
  return isBranded(value) && (code === undefined || (value as InteropError).code === code);
}

/** napi-rs statuses that mean "the JS caller passed the wrong kind of value". */
const napiArgumentStatuses: ReadonlySet<string> = new Set([
  'InvalidArg',
  'ObjectExpected',
  'StringExpected',
  'NameExpected',
  'FunctionExpected',
  'NumberExpected',
  'BooleanExpected',
  'ArrayExpected',
  'BigintExpected',
  'DateExpected',
  'ArrayBufferExpected',
  'DetachableArraybufferExpected',
]);

/** Native layers name their code at the start of the message: "ERR_NATIVE_PANIC: index out of bounds". */
const codePrefix = /^(ERR_[A-Z_]+): ?/;

/**
 * Turns whatever a native layer threw into an InteropError, so callers only ever see the code table.
 * Unknown failures become ERR_INTERNAL with the original kept as `cause`.
 */
export function toInteropError(error: unknown): InteropError {
  if (error instanceof InteropError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const prefixed = codePrefix.exec(message);
  if (prefixed && isErrorCode(prefixed[1])) {
    return new InteropError(prefixed[1], message.slice(prefixed[0].length), { cause: error });
  }
  const status = (error as { code?: unknown } | null)?.code;
  if (typeof status === 'string' && napiArgumentStatuses.has(status)) {
    return new InteropError('ERR_INVALID_ARG', message, { cause: error });
  }
  return new InteropError('ERR_INTERNAL', `unexpected failure: ${message}`, { cause: error });
}
