/**
 * The contract (CONTRACT.md at the repository root) as types: what every generated package exports,
 * whatever its kind, and what its test-only `./testing` entry exports. A package checks its own entries
 * against them with `Satisfies`, so `tsc` (its build and lint) fails where a package drifts. Types only:
 * nothing here exists at run time.
 */
import type { CallOptions } from './call-options.js';
import type { InteropError } from './errors.js';
import type { Hasher } from './resources/hasher.js';

/** The backends a package can be built on, one per kind. */
export type Backend = 'napi' | 'port' | 'wasm' | 'pure';

/**
 * Whether a kind has `hashSync`: `true` for napi, wasm and pure, `false` for a port (asynchronous by
 * nature), `boolean` for code that takes a package of any kind.
 */
export interface ContractShape {
  sync: boolean;
}

type HashSync<Sync extends boolean> = boolean extends Sync
  ? { readonly hashSync?: (data: Uint8Array) => Uint8Array }
  : Sync extends true
    ? { readonly hashSync: (data: Uint8Array) => Uint8Array }
    : { readonly hashSync?: never };

/**
 * A package's main entry. `Contract<{ sync: true }>` for the kinds with `hashSync`, `Contract<{ sync: false }>`
 * for a port, `Contract` for a caller that takes any kind. A package may export more than this.
 */
export type Contract<Shape extends ContractShape = ContractShape> = {
  readonly backend: Backend;
  /** SHA-256 of `data`; offloaded where the kind allows. */
  readonly hash: (data: Uint8Array, options?: CallOptions) => Promise<Uint8Array>;
  /** PBKDF2-HMAC-SHA256, a 32-byte key; always off the event loop. */
  readonly deriveKey: (
    password: string | Uint8Array,
    salt: Uint8Array,
    iterations: number,
    options?: CallOptions,
  ) => Promise<Uint8Array>;
  /** An incremental SHA-256 whose state the backend keeps behind a handle; `await using` disposes it. */
  readonly createHasher: () => Hasher;
  /** SHA-256 of every chunk of `source`, through a hasher; `options` bound the whole stream. */
  readonly hashStream: (source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>, options?: CallOptions) => Promise<Uint8Array>;
  /** Releases what the kind holds (child process, worker pool, instance). Idempotent. */
  readonly close: () => Promise<void>;
  readonly InteropError: typeof InteropError;
} & HashSync<Shape['sync']>;

/** Every crash mode of the contract; each kind implements some of them (CONTRACT.md, "Crash triggers"). */
export type CrashMode = 'panic' | 'panic-offloaded' | 'abort' | 'exit' | 'hang' | 'trap' | 'garbage' | 'oversize';

/** A package's `./testing` entry, present in test builds only. */
export interface TestingEntry {
  /** Runs a crash trigger; a mode this kind does not implement is ERR_INVALID_ARG. */
  readonly crash: (mode: CrashMode, options?: CallOptions) => Promise<void>;
  /** The modes this kind implements. */
  readonly supportedCrashModes: readonly CrashMode[];
  /** Hashers whose state the backend itself holds now (the addon, the port process, the wasm instance): leak tests read it. */
  readonly liveHashers: () => Promise<number>;
}

/**
 * `Module` if it meets `Spec`, and a compile error naming what is missing or mistyped if not: the
 * type-level `satisfies`. A package checks its own entry with it, leaving nothing in the emitted
 * JavaScript: `type MeetsContract = Satisfies<Contract<{ sync: true }>, typeof import('./index.js')>`.
 */
export type Satisfies<Spec, Module extends Spec> = Module;
