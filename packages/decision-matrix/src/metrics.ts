/**
 * What the matrix measures: the kinds, the blocking control, and every metric with the subjects it
 * applies to. The workload, the report and its checks all read this one table. Which kinds there are,
 * and which metrics apply to each, come from the kinds' kind.json (generators/kinds.js).
 */
import { readKinds, type KindFacts } from '../../../generators/kinds.js';
import { MatrixError } from './errors.js';
import { hasProcessOfItsOwn, inProcessFault } from './faults.js';

export type Kind = string;

/** The kinds in the order the matrix shows them: the baseline first, as every ratio divides by it. */
export function baselineFirst(all: readonly KindFacts[]): KindFacts[] {
  const baselines = all.filter((facts) => facts.baseline);
  const [baseline] = baselines;
  if (baseline === undefined || baselines.length > 1) {
    throw new MatrixError(
      'ERR_KIND_FACTS',
      `the matrix needs exactly one kind whose kind.json says "baseline": true, to divide by; ${baselines.length === 0 ? 'none does' : `${baselines.map((facts) => facts.kind).join(', ')} do`}`,
    );
  }
  return [baseline, ...all.filter((facts) => facts !== baseline)];
}

export const kindFacts: readonly KindFacts[] = baselineFirst(readKinds());
export const kinds: readonly Kind[] = kindFacts.map((facts) => facts.kind);

/** The baseline of every ratio. */
export const baselineKind: Kind = kindFacts[0]!.kind;

export function factsOf(kind: Kind): KindFacts {
  const found = kindFacts.find((facts) => facts.kind === kind);
  if (found === undefined) throw new MatrixError('ERR_KIND_FACTS', `there are no templates for the kind ${kind} (there are: ${kinds.join(', ')})`);
  return found;
}

const kindsWhere = (fact: (facts: KindFacts) => boolean) => kindFacts.filter(fact).map((facts) => facts.kind);
const othersThan = (measured: readonly Kind[], reason: string) =>
  Object.fromEntries(kinds.filter((kind) => !measured.includes(kind)).map((kind) => [kind, reason]));

/** The same eight derivations done with pbkdf2Sync on the event loop: what blocking looks like. */
export const blockingControl = 'blocking';
export type Subject = Kind | typeof blockingControl;
export const subjects: readonly Subject[] = [...kinds, blockingControl];

/** Heavy-run parameters, the same for every subject. */
export const heavyIterations = 100_000;
export const heavyConcurrency = 8;

/** Sizes of the hash inputs, by metric. */
export const hashInputBytes = { 'hash-0B': 0, 'hash-256B': 256, 'hash-1MiB': 1024 * 1024 } as const;

/** hashStream's input: 64 MiB in chunks of 64 KiB, as a file stream reads it. */
export const streamBytes = 64 * 1024 * 1024;
export const streamChunkBytes = 64 * 1024;

/**
 * One timed activity of a round. Several metrics can come from one measurement: the heavy run
 * gives its duration and the event-loop lateness seen while it ran.
 */
export const measurementIds = [
  'hashSync-0B',
  'hash-0B',
  'hash-256B',
  'hash-1MiB',
  'hashStream-64MiB',
  'deriveKey',
  'heavy',
  'fault-in-process',
  'fault-process-death',
] as const;
export type MeasurementId = (typeof measurementIds)[number];

export type MetricGroup = 'call overhead' | 'small and bulk' | 'heavy' | 'responsiveness' | 'fault cost';

export interface MetricDefinition {
  id: string;
  measuredBy: MeasurementId;
  group: MetricGroup;
  /** Short: a table row or a chart panel title. */
  label: string;
  /** What exactly the number is. */
  description: string;
  /** Subjects with a number; the others either have a reason in notApplicable or are left blank. */
  measured: readonly Subject[];
  notApplicable: Partial<Record<Subject, string>>;
  /** What each subject does for this metric, where that differs by kind. */
  scenarios?: Partial<Record<Subject, string>>;
  /**
   * Whether a ratio to pure means something. Not for lateness: without blocking it is a fraction of
   * a millisecond of scheduling noise, and dividing by noise gives noise.
   */
  ratioToPure: boolean;
  /** Lateness can be 0; every duration is above 0. */
  allowsZero: boolean;
}

const withHashSync = kindsWhere((facts) => facts.hashSync);
const withProcessOfItsOwn = kindsWhere(hasProcessOfItsOwn);

export const metrics: readonly MetricDefinition[] = [
  {
    id: 'hashSync-0B',
    measuredBy: 'hashSync-0B',
    group: 'call overhead',
    label: 'hashSync, 0 B',
    description: 'Mean time of one synchronous hashSync call on empty input, calls back to back: the cost of crossing into the backend.',
    measured: withHashSync,
    notApplicable: othersThan(withHashSync, 'no hashSync: every call is asynchronous'),
    ratioToPure: true,
    allowsZero: false,
  },
  {
    id: 'hash-0B',
    measuredBy: 'hash-0B',
    group: 'call overhead',
    label: 'hash, 0 B',
    description: 'Mean time of one awaited hash call on empty input, calls one after another: the round trip to wherever the kind offloads.',
    measured: kinds,
    notApplicable: {},
    ratioToPure: true,
    allowsZero: false,
  },
  {
    id: 'hash-256B',
    measuredBy: 'hash-256B',
    group: 'small and bulk',
    label: 'hash, 256 B',
    description: 'Mean time of one awaited hash call on 256 random bytes.',
    measured: kinds,
    notApplicable: {},
    ratioToPure: true,
    allowsZero: false,
  },
  {
    id: 'hash-1MiB',
    measuredBy: 'hash-1MiB',
    group: 'small and bulk',
    label: 'hash, 1 MiB',
    description: 'Mean time of one awaited hash call on 1 MiB of random bytes (copying it across included).',
    measured: kinds,
    notApplicable: {},
    ratioToPure: true,
    allowsZero: false,
  },
  {
    id: 'hashStream-64MiB',
    measuredBy: 'hashStream-64MiB',
    group: 'small and bulk',
    label: 'hashStream, 64 MiB in 64 KiB chunks',
    description:
      "Time of one hashStream call over 64 MiB of random bytes, yielded in 64 KiB chunks by an async generator: 1,024 updates of a hasher whose state the backend holds, then its digest.",
    measured: subjects,
    notApplicable: {},
    scenarios: { [blockingControl]: "node:crypto's createHash, one update per chunk, on the event loop" },
    ratioToPure: true,
    allowsZero: false,
  },
  {
    id: 'deriveKey',
    measuredBy: 'deriveKey',
    group: 'heavy',
    label: 'deriveKey 100k',
    description: 'Time of one deriveKey call of 100,000 PBKDF2-HMAC-SHA256 iterations, alone.',
    measured: kinds,
    notApplicable: {},
    ratioToPure: true,
    allowsZero: false,
  },
  {
    id: 'deriveKey-x8',
    measuredBy: 'heavy',
    group: 'heavy',
    label: 'deriveKey 100k, 8 concurrent',
    description: 'Time until all of 8 deriveKey calls of 100,000 iterations, started together, have settled.',
    measured: subjects,
    notApplicable: {},
    scenarios: { [blockingControl]: '8 × pbkdf2Sync on the event loop, one per macrotask' },
    ratioToPure: true,
    allowsZero: false,
  },
  {
    id: 'loop-max',
    measuredBy: 'heavy',
    group: 'responsiveness',
    label: 'event-loop max delay, heavy run',
    description:
      'Longest a 1 ms timer fired late while the 8 concurrent derivations ran (monitorEventLoopDelay, 1 ms resolution, the 1 ms interval itself subtracted).',
    measured: subjects,
    notApplicable: {},
    ratioToPure: false,
    allowsZero: true,
  },
  {
    id: 'loop-p99',
    measuredBy: 'heavy',
    group: 'responsiveness',
    label: 'event-loop p99 delay, heavy run',
    description: 'The 99th percentile of the same lateness samples.',
    measured: subjects,
    notApplicable: {},
    ratioToPure: false,
    allowsZero: true,
  },
  {
    id: 'fault-in-process',
    measuredBy: 'fault-in-process',
    group: 'fault cost',
    label: 'fault → next good call',
    description:
      'Time from calling a crash trigger of the crash-enabled build to the result of the next successful call on that build. The warm-up faults each kind once first, so one-time costs of a first fault in a process are not counted; RUST_BACKTRACE is unset, so no panic captures a backtrace.',
    measured: kinds,
    notApplicable: {},
    scenarios: Object.fromEntries(kindFacts.map((facts) => [facts.kind, inProcessFault(facts).scenario])),
    ratioToPure: true,
    allowsZero: false,
  },
  {
    id: 'fault-process-death',
    measuredBy: 'fault-process-death',
    group: 'fault cost',
    label: 'process death → next good call',
    description:
      "Time from killing the kind's own process (SIGKILL) while a call is in flight — the call rejects with ERR_PORT_CRASHED — to the next successful call: the supervisor's first restart (backoff 5–10 ms) and the new child's first reply. Release build; a fresh supervisor each time.",
    measured: withProcessOfItsOwn,
    notApplicable: othersThan(withProcessOfItsOwn, 'runs inside the Node process: it has no process of its own to lose'),
    ratioToPure: false,
    allowsZero: false,
  },
];

/** The subjects a measurement runs for: every subject of any metric it produces. */
export function subjectsOf(measurement: MeasurementId): Subject[] {
  const measured = new Set(metrics.filter((metric) => metric.measuredBy === measurement).flatMap((metric) => metric.measured));
  return subjects.filter((subject) => measured.has(subject));
}

/** How the progress bar names a measurement: by its first metric. */
export function measurementLabel(measurement: MeasurementId): string {
  return metrics.find((metric) => metric.measuredBy === measurement)?.label ?? measurement;
}
