export { ERROR_CODES, InteropError, isErrorCode, isInteropError, registerErrorCodes, toInteropError } from './errors.js';
export type { ErrorCode, InteropErrorCode, RegisteredErrorCode, RegisteredErrorCodes } from './errors.js';
export type { Backend, Contract, ContractShape, CrashMode, Satisfies, TestingEntry } from './contract.js';
export { checkCallOptions, withCallOptions } from './call-options.js';
export type { CallOptions } from './call-options.js';
export { createLimiter, defaultOffloadConcurrency } from './offload.js';
export type { Limiter } from './offload.js';
export { LIMITS, checkData, checkDeriveKeyArguments, checkIterations, checkPassword, checkSalt, type DeriveKeyArguments } from './contract-args.js';
export { forEachSlice, isCopiedAtCall } from './large-input.js';
