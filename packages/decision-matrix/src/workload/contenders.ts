/**
 * The generated packages, loaded from their built dist/ and driven only through the shared contract
 * (index) and each kind's `./testing` entry (crash triggers of the crash-enabled build). What differs by
 * kind is confined to the fault drills below.
 */
import { createHash, pbkdf2Sync } from 'node:crypto';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { heavyIterations, type Kind } from '../metrics.js';

/** A backend that stops answering fails the run instead of stalling it. */
const callTimeoutMs = 60_000;
const empty = new Uint8Array(0);

export class WorkloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkloadError';
  }
}

interface CallOptions {
  timeoutMs?: number;
}

/** The contract's exports (see CONTRACT.md) that the workload uses. */
interface ContractModule {
  backend: string;
  hash(data: Uint8Array, options?: CallOptions): Promise<Uint8Array>;
  hashSync?(data: Uint8Array): Uint8Array;
  deriveKey(password: string, salt: Uint8Array, iterations: number, options?: CallOptions): Promise<Uint8Array>;
  close(): Promise<void>;
}

type Exports = Record<string, unknown>;

/** The supervisor's Port (@interop-module/runtime/port), as much of it as the drills use. */
interface SupervisedPort {
  readonly pid: number | undefined;
  call(method: string, body: Uint8Array, options?: CallOptions): Promise<Uint8Array>;
  close(): Promise<void>;
}
type AnyFunction = (...args: never[]) => unknown;

/**
 * A crash and the recovery after it. Measured from the trigger to the next good result, which must
 * be the digest of empty input.
 */
export interface FaultDrill {
  /** Runs before the clock starts (e.g. a fresh port, so the restart backoff starts from its first step). */
  prepare?(): Promise<void>;
  trigger(): Promise<unknown>;
  /** The InteropError code the trigger must reject with. */
  expectedCode: string;
  next(): Promise<Uint8Array>;
}

export type FaultMeasurement = 'fault-in-process' | 'fault-process-death';

export interface KindContender {
  kind: Kind;
  hash(data: Uint8Array): Promise<Uint8Array>;
  hashSync: ((data: Uint8Array) => Uint8Array) | undefined;
  deriveKey(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array>;
  faults: Partial<Record<FaultMeasurement, FaultDrill>>;
  close(): Promise<void>;
}

/** Checks that a module has these functions, so a package that drifted from the contract fails clearly. */
function functions<const Names extends readonly string[]>(
  module: Exports,
  names: Names,
  where: string,
): { [Name in Names[number]]: AnyFunction } {
  const missing = names.filter((name) => typeof module[name] !== 'function');
  if (missing.length > 0) throw new WorkloadError(`${where} does not export ${missing.join(', ')}`);
  return module as { [Name in Names[number]]: AnyFunction };
}

interface LoadedPackage {
  contract: ContractModule;
  testing: Exports;
  where: string;
}

interface KindFaults {
  drills: Partial<Record<FaultMeasurement, FaultDrill>>;
  /** Releases what the drills started (crash-build pools, crash-test ports). */
  close(): Promise<void>;
}

const faultsByKind: Record<Kind, (loaded: LoadedPackage) => KindFaults> = {
  pure({ contract }) {
    return {
      drills: {
        'fault-in-process': {
          trigger: () => contract.hash('not bytes' as unknown as Uint8Array),
          expectedCode: 'ERR_INVALID_ARG',
          next: () => contract.hash(empty),
        },
      },
      close: async () => {},
    };
  },
  napi({ testing, where }) {
    const exports = functions(testing, ['crash', 'crashBuildHashSync'], `${where}/testing`);
    const crash = exports.crash as (mode: string) => Promise<void>;
    const crashBuildHashSync = exports.crashBuildHashSync as (data: Uint8Array) => Uint8Array;
    return {
      drills: {
        'fault-in-process': {
          trigger: () => crash('panic'),
          expectedCode: 'ERR_NATIVE_PANIC',
          next: async () => crashBuildHashSync(empty),
        },
      },
      close: async () => {},
    };
  },
  wasm({ testing, where }) {
    const exports = functions(testing, ['crash', 'loadCrashBuild', 'closeCrashBuild'], `${where}/testing`);
    const crash = exports.crash as (mode: string) => Promise<void>;
    const loadCrashBuild = exports.loadCrashBuild as () => Promise<{ hash(data: Uint8Array): Promise<Uint8Array> }>;
    return {
      drills: {
        'fault-in-process': {
          trigger: () => crash('trap'),
          expectedCode: 'ERR_WASM_TRAP',
          next: async () => (await loadCrashBuild()).hash(empty),
        },
      },
      close: async () => void (await exports.closeCrashBuild()),
    };
  },
  port({ testing, where }) {
    const exports = functions(testing, ['crash', 'crashTestPort', 'closeCrashTestPort', 'openPort', 'deriveKeyBody'], `${where}/testing`);
    const crash = exports.crash as (mode: string, options?: CallOptions) => Promise<void>;
    const crashTestPort = exports.crashTestPort as () => SupervisedPort;
    const closeCrashTestPort = exports.closeCrashTestPort as () => Promise<void>;
    const openPort = exports.openPort as (build: 'release') => SupervisedPort;
    const deriveKeyBody = exports.deriveKeyBody as (password: Uint8Array, salt: Uint8Array, iterations: number) => Uint8Array;
    // 'hash' and 'deriveKey' are the methods lib/index.ts calls on the port; both builds serve them.
    const hashOn = (port: SupervisedPort) => port.call('hash', empty, { timeoutMs: callTimeoutMs });
    // Long enough to be still running when the process is killed.
    const longDerivation = deriveKeyBody(new TextEncoder().encode('password'), new Uint8Array(16), 10_000_000);
    let victim: SupervisedPort | undefined;
    const currentVictim = () => {
      if (victim === undefined) throw new WorkloadError('the process-death drill ran without its prepare step');
      return victim;
    };
    return {
      drills: {
        'fault-in-process': {
          trigger: () => crash('panic', { timeoutMs: callTimeoutMs }),
          expectedCode: 'ERR_NATIVE_PANIC',
          next: () => hashOn(crashTestPort()),
        },
        'fault-process-death': {
          // A release-build port of its own, new for every drill: its restart window is empty, so this is
          // what one crash costs (later ones within 10 s wait twice as long each, see RestartPolicy).
          async prepare() {
            await victim?.close();
            victim = openPort('release');
            await hashOn(victim);
          },
          // Killed mid-call, as an out-of-memory killer would: no exit code, no last words.
          async trigger() {
            const port = currentVictim();
            const { pid } = port;
            if (pid === undefined) throw new WorkloadError('the port to kill has no running process');
            const inFlight = port.call('deriveKey', longDerivation, { timeoutMs: callTimeoutMs });
            process.kill(pid, 'SIGKILL');
            return inFlight;
          },
          expectedCode: 'ERR_PORT_CRASHED',
          next: () => hashOn(currentVictim()),
        },
      },
      async close() {
        await closeCrashTestPort();
        await victim?.close();
      },
    };
  },
};

async function importFrom(dir: string, file: string): Promise<Exports> {
  return (await import(pathToFileURL(path.join(dir, 'dist', file)).href)) as Exports;
}

export async function loadKind(kind: Kind, dir: string): Promise<KindContender> {
  const where = `the generated ${kind} package (${dir})`;
  const main = await importFrom(dir, 'index.js');
  functions(main, ['hash', 'deriveKey', 'close'], where);
  if (main.backend !== kind) throw new WorkloadError(`${where} says its backend is ${String(main.backend)}`);
  const contract = main as unknown as ContractModule;
  const faults = faultsByKind[kind]({ contract, testing: await importFrom(dir, 'testing.js'), where });
  const { hashSync } = contract;
  return {
    kind,
    hash: (data) => contract.hash(data),
    hashSync: typeof hashSync === 'function' ? (data) => hashSync(data) : undefined,
    deriveKey: (password, salt, iterations) => contract.deriveKey(password, salt, iterations, { timeoutMs: callTimeoutMs }),
    faults: faults.drills,
    async close() {
      await faults.close();
      await contract.close();
    },
  };
}

/** `count` derivations started together, as a caller under load would. */
export async function deriveConcurrently(contender: KindContender, count: number, salt: Uint8Array): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, index) => contender.deriveKey(`password ${index}`, salt, heavyIterations)));
}

/** The blocking control: the same derivations with pbkdf2Sync on the event loop, one per macrotask. */
export async function deriveBlocking(count: number, salt: Uint8Array): Promise<void> {
  for (let index = 0; index < count; index++) {
    await nextTurn();
    pbkdf2Sync(`password ${index}`, salt, heavyIterations, 32, 'sha256');
  }
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

const emptyDigest = createHash('sha256').digest();

/** Milliseconds from the drill's trigger to the next good result. */
export async function faultCostMs(kind: Kind, drill: FaultDrill): Promise<number> {
  await drill.prepare?.();
  const started = performance.now();
  const outcome = await drill.trigger().then(
    () => new WorkloadError(`the ${kind} crash trigger resolved; expected ${drill.expectedCode}`),
    (error: unknown) => error,
  );
  if (codeOf(outcome) !== drill.expectedCode) {
    throw new WorkloadError(`the ${kind} crash trigger gave ${String(codeOf(outcome) ?? outcome)}; expected ${drill.expectedCode}`);
  }
  const digest = await drill.next();
  const costMs = performance.now() - started;
  if (!emptyDigest.equals(digest)) throw new WorkloadError(`the ${kind} call after the fault returned a wrong digest`);
  return costMs;
}
