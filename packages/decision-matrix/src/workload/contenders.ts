/**
 * The generated packages, loaded from their built dist/ and driven only through the shared contract
 * (index) and each kind's `./testing` entry (crash triggers of the crash-enabled build). Which fault
 * drills a kind gets follows from its kind.json (faults.ts); only reaching a kind's crash-enabled build,
 * or its own process, takes code per kind: the adapters below.
 */
import { createHash, pbkdf2Sync } from 'node:crypto';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { KindFacts } from '../../../../generators/kinds.js';
import { hasProcessOfItsOwn, inProcessFault } from '../faults.js';
import { factsOf, heavyIterations, type Kind } from '../metrics.js';

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
  hashStream(source: AsyncIterable<Uint8Array>, options?: CallOptions): Promise<Uint8Array>;
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
  hashStream(source: AsyncIterable<Uint8Array>): Promise<Uint8Array>;
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

/** Something a drill started, to be released when the contender closes. */
interface Held<T> {
  value: T;
  close(): Promise<void>;
}

/** How the workload reaches what a kind's `./testing` entry exports: each template names these itself. */
interface KindAdapter {
  /** The crash-enabled build's hash, for the call after a fault on that build. */
  crashBuildHash?(testing: Exports, where: string): Held<(data: Uint8Array) => Promise<Uint8Array>>;
  /** The drill that kills the kind's own process mid-call. */
  processDeath?(testing: Exports, where: string): Held<FaultDrill>;
}

const adapters: Readonly<Record<Kind, KindAdapter>> = {
  napi: {
    crashBuildHash(testing, where) {
      const crashBuildHashSync = functions(testing, ['crashBuildHashSync'], where).crashBuildHashSync as (data: Uint8Array) => Uint8Array;
      return { value: async (data) => crashBuildHashSync(data), close: async () => {} };
    },
  },
  wasm: {
    crashBuildHash(testing, where) {
      const exports = functions(testing, ['loadCrashBuild', 'closeCrashBuild'], where);
      const loadCrashBuild = exports.loadCrashBuild as () => Promise<{ hash(data: Uint8Array): Promise<Uint8Array> }>;
      return { value: async (data) => (await loadCrashBuild()).hash(data), close: async () => void (await exports.closeCrashBuild()) };
    },
  },
  port: {
    crashBuildHash(testing, where) {
      const exports = functions(testing, ['crashTestPort', 'closeCrashTestPort'], where);
      const crashTestPort = exports.crashTestPort as () => SupervisedPort;
      // 'hash' is a method lib/index.ts calls on the port; both builds serve it.
      return { value: (data) => crashTestPort().call('hash', data, { timeoutMs: callTimeoutMs }), close: exports.closeCrashTestPort as () => Promise<void> };
    },
    processDeath(testing, where) {
      const exports = functions(testing, ['openPort', 'deriveKeyBody'], where);
      const openPort = exports.openPort as (build: 'release') => SupervisedPort;
      const deriveKeyBody = exports.deriveKeyBody as (password: Uint8Array, salt: Uint8Array, iterations: number) => Uint8Array;
      const hashOn = (port: SupervisedPort) => port.call('hash', empty, { timeoutMs: callTimeoutMs });
      // Long enough to be still running when the process is killed.
      const longDerivation = deriveKeyBody(new TextEncoder().encode('password'), new Uint8Array(16), 10_000_000);
      let victim: SupervisedPort | undefined;
      const currentVictim = () => {
        if (victim === undefined) throw new WorkloadError('the process-death drill ran without its prepare step');
        return victim;
      };
      return {
        value: {
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
        close: async () => victim?.close(),
      };
    },
  },
};

/** The adapter parts a kind's facts call for that contenders.ts lacks: empty when the matrix can drive it. */
export function missingAdapterParts(facts: KindFacts): string[] {
  const adapter = Object.hasOwn(adapters, facts.kind) ? adapters[facts.kind]! : {};
  const { mode } = inProcessFault(facts);
  return [
    ...(mode !== undefined && adapter.crashBuildHash === undefined ? [`crashBuildHash (its crash mode '${mode}' faults the crash-enabled build)`] : []),
    ...(hasProcessOfItsOwn(facts) && adapter.processDeath === undefined ? ['processDeath (it has a process of its own to kill)'] : []),
  ];
}

/** The kinds with an adapter, each of which should still be a kind. */
export const adaptedKinds: readonly Kind[] = Object.keys(adapters);

interface KindFaults {
  drills: Partial<Record<FaultMeasurement, FaultDrill>>;
  /** Releases what the drills started (crash-build pools, crash-test ports). */
  close(): Promise<void>;
}

function faultDrills(facts: KindFacts, contract: ContractModule, testing: Exports, where: string): KindFaults {
  const missing = missingAdapterParts(facts);
  if (missing.length > 0) {
    throw new WorkloadError(`the matrix cannot stage the faults of ${where}: workload/contenders.ts has no ${missing.join(', no ')} for the ${facts.kind} kind`);
  }
  const adapter = adapters[facts.kind] ?? {};
  const fault = inProcessFault(facts);
  const held: Held<unknown>[] = [];
  const hold = <T>(part: Held<T>): T => {
    held.push(part);
    return part.value;
  };
  const drills: KindFaults['drills'] = {};
  if (fault.mode === undefined) {
    drills['fault-in-process'] = {
      trigger: () => contract.hash('not bytes' as unknown as Uint8Array),
      expectedCode: fault.expectedCode,
      next: () => contract.hash(empty),
    };
  } else {
    const crash = functions(testing, ['crash'], `${where}/testing`).crash as (mode: string, options?: CallOptions) => Promise<void>;
    const crashBuildHash = hold(adapter.crashBuildHash!(testing, `${where}/testing`));
    const { mode } = fault;
    drills['fault-in-process'] = {
      trigger: () => crash(mode, { timeoutMs: callTimeoutMs }),
      expectedCode: fault.expectedCode,
      next: () => crashBuildHash(empty),
    };
  }
  if (hasProcessOfItsOwn(facts)) drills['fault-process-death'] = hold(adapter.processDeath!(testing, `${where}/testing`));
  return {
    drills,
    async close() {
      for (const part of held) await part.close();
    },
  };
}

async function importFrom(dir: string, file: string): Promise<Exports> {
  return (await import(pathToFileURL(path.join(dir, 'dist', file)).href)) as Exports;
}

export async function loadKind(kind: Kind, dir: string): Promise<KindContender> {
  const facts = factsOf(kind);
  const where = `the generated ${kind} package (${dir})`;
  const main = await importFrom(dir, 'index.js');
  functions(main, ['hash', 'deriveKey', 'hashStream', 'close'], where);
  if (main.backend !== kind) throw new WorkloadError(`${where} says its backend is ${String(main.backend)}`);
  const contract = main as unknown as ContractModule;
  const { hashSync } = contract;
  if ((typeof hashSync === 'function') !== facts.hashSync) {
    throw new WorkloadError(`${where} ${facts.hashSync ? 'lacks' : 'exports'} hashSync, but its kind.json says "hashSync": ${facts.hashSync}`);
  }
  const faults = faultDrills(facts, contract, await importFrom(dir, 'testing.js'), where);
  return {
    kind,
    hash: (data) => contract.hash(data),
    hashSync: hashSync === undefined ? undefined : (data) => hashSync(data),
    deriveKey: (password, salt, iterations) => contract.deriveKey(password, salt, iterations, { timeoutMs: callTimeoutMs }),
    hashStream: (source) => contract.hashStream(source, { timeoutMs: callTimeoutMs }),
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
