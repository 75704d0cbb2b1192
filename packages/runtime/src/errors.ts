/**
 * The runtime's own error codes, the table of CONTRACT.md. Codes may be added; none is ever reused for a
 * different meaning, so callers can branch on `error.code` across releases. A package adds codes of its
 * own with `registerErrorCodes`.
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
  'ERR_NATIVE_INTEGRITY',
  'ERR_INTERNAL',
  'ERR_INVALID_STATE',
  'ERR_RESOURCE_LOST',
  'ERR_RESOURCE_LIMIT',
] as const;

/** A code of the runtime's own table. */
export type ErrorCode = (typeof ERROR_CODES)[number];

declare const registered: unique symbol;

/**
 * A code a package added with `registerErrorCodes`, which (with `isErrorCode`) is the only source of
 * one: a plain string is not a RegisteredErrorCode, so a misspelt built-in code still fails to compile.
 */
export type RegisteredErrorCode<Code extends string = string> = Code & { readonly [registered]: true };

/** Every code an InteropError can carry: the runtime's table and the codes registered with this copy of it. */
export type InteropErrorCode = ErrorCode | RegisteredErrorCode;

const builtInCodes: ReadonlySet<string> = new Set(ERROR_CODES);
const registeredCodes = new Set<string>();

/** The form of every code, as the Rust side's `ErrorCode::custom` checks it; 255 bytes is the port's code field. */
const codeForm = /^ERR_[A-Z_]{1,251}$/;

/**
 * Adds a package's own codes to the ones this copy of the runtime knows, so that `isErrorCode`,
 * `toInteropError` (a native message starting "ERR_GATEWAY_REJECTED: ") and the port supervisor (an
 * error reply with that code) take them as codes instead of mapping them to ERR_INTERNAL or ERR_PROTOCOL.
 * Each code is `ERR_` then capitals and underscores, and not one of the runtime's table (whose meanings
 * are fixed). Registering a code again is allowed, so a module may run twice (tests, several entries).
 * Returns the codes, typed as registered. Nothing is registered if any code is refused.
 */
export function registerErrorCodes<const Codes extends readonly `ERR_${string}`[]>(codes: Codes): RegisteredErrorCodes<Codes> {
  if (!Array.isArray(codes)) throw new InteropError('ERR_INVALID_ARG', 'codes must be an array of error codes');
  for (const code of codes as readonly unknown[]) {
    if (typeof code !== 'string' || !codeForm.test(code)) {
      throw new InteropError(
        'ERR_INVALID_ARG',
        `an error code is ERR_ followed by capitals and underscores, at most 255 characters; got ${
          typeof code === 'string' ? `'${code}'` : typeof code
        }`,
      );
    }
    if (builtInCodes.has(code)) {
      throw new InteropError('ERR_INVALID_ARG', `${code} is one of the runtime's own codes; a package cannot redefine it`);
    }
  }
  for (const code of codes) registeredCodes.add(code);
  return Object.freeze([...codes]) as unknown as RegisteredErrorCodes<Codes>;
}

/** What `registerErrorCodes` returns: the same codes, in order, each typed as registered. */
export type RegisteredErrorCodes<Codes extends readonly string[]> = { readonly [At in keyof Codes]: RegisteredErrorCode<Codes[At]> };

/** Whether `value` is a code of the runtime's table or one registered with `registerErrorCodes`. */
export function isErrorCode(value: unknown): value is InteropErrorCode {
  return typeof value === 'string' && (builtInCodes.has(value) || registeredCodes.has(value));
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
  readonly code: InteropErrorCode;

  constructor(code: InteropErrorCode, message: string, options?: { cause?: unknown }) {
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
export function isInteropError(value: unknown, code?: InteropErrorCode): value is InteropError {
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
 * Turns whatever a native layer threw into an InteropError, so callers only ever see the code table
 * (with the codes registered). Unknown failures, an unknown code among them, become ERR_INTERNAL with the original kept as `cause`.
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
