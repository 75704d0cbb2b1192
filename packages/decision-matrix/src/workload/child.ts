/**
 * The measuring process, forked by run.ts: imports every kind's generated package, checks that they
 * compute the same results, warms them up, then runs the plan and sends the samples back. It measures
 * in a process of its own so that the parent's progress bar, and the panic messages Rust prints to
 * stderr, stay out of its event loop and its output.
 */
import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  blockingControl,
  hashInputBytes,
  heavyConcurrency,
  heavyIterations,
  kinds,
  streamBytes,
  streamChunkBytes,
  type Kind,
  type MeasurementId,
  type Subject,
} from '../metrics.js';
import { median } from '../stats.js';
import {
  WorkloadError,
  deriveBlocking,
  deriveConcurrently,
  faultCostMs,
  loadKind,
  type FaultMeasurement,
  type KindContender,
} from './contenders.js';
import { elapsedMs, meanCallMs, measureLateness } from './measure.js';
import { planRounds, type Step } from './plan.js';
import type { ChildMessage, Samples, WorkloadConfig } from './protocol.js';

const closeTimeoutMs = 10_000;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) {
      reject(new WorkloadError('the workload runs as a forked child of the matrix command, with an IPC channel'));
      return;
    }
    process.send(message, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

const inputs = {
  'hash-0B': new Uint8Array(hashInputBytes['hash-0B']),
  'hash-256B': new Uint8Array(randomBytes(hashInputBytes['hash-256B'])),
  'hash-1MiB': new Uint8Array(randomBytes(hashInputBytes['hash-1MiB'])),
};
const salt = new Uint8Array(randomBytes(16));
const streamed = new Uint8Array(randomBytes(streamBytes));

/** hashStream's source: the 64 MiB in 64 KiB chunks, views of one buffer (no copy here). */
async function* streamChunks(): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < streamed.length; offset += streamChunkBytes) yield streamed.subarray(offset, offset + streamChunkBytes);
}

type Contenders = ReadonlyMap<Kind, KindContender>;

function contenderFor(contenders: Contenders, subject: Subject, measurement: MeasurementId): KindContender {
  if (subject === blockingControl) throw new WorkloadError(`the blocking control has no ${measurement} measurement`);
  const contender = contenders.get(subject);
  if (contender === undefined) throw new WorkloadError(`no package of the kind ${subject} was loaded`);
  return contender;
}

/** Results must match node:crypto's, or the kinds would not be doing the same work. */
async function checkResults(contender: KindContender): Promise<void> {
  const data = inputs['hash-256B'];
  const expectedDigest = createHash('sha256').update(data).digest();
  const sameBytes = (actual: Uint8Array, expected: Buffer, what: string) => {
    if (!expected.equals(actual)) throw new WorkloadError(`the ${contender.kind} package computed a wrong ${what}`);
  };
  sameBytes(await contender.hash(data), expectedDigest, 'hash');
  if (contender.hashSync !== undefined) sameBytes(contender.hashSync(data), expectedDigest, 'hashSync');
  sameBytes(await contender.deriveKey('password', salt, 1000), pbkdf2Sync('password', salt, 1000, 32, 'sha256'), 'deriveKey');
  sameBytes(await contender.hashStream(streamChunks()), createHash('sha256').update(streamed).digest(), 'hashStream');
}

async function repeatMedian(repeats: number, measure: () => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) values.push(await measure());
  return median(values);
}

function drill(contender: KindContender, measurement: FaultMeasurement) {
  const found = contender.faults[measurement];
  if (found === undefined) throw new WorkloadError(`the ${contender.kind} package has no ${measurement} drill`);
  return found;
}

/** One step: the values, by metric id, of one subject in one round. */
async function measureStep(step: Step, contenders: Contenders, config: WorkloadConfig): Promise<Record<string, number>> {
  const { sampleMs, repeats } = config.settings;
  const { measurement, subject } = step;
  switch (measurement) {
    case 'hashSync-0B': {
      const { hashSync, kind } = contenderFor(contenders, subject, measurement);
      if (hashSync === undefined) throw new WorkloadError(`the ${kind} package has no hashSync`);
      const data = inputs['hash-0B'];
      return {
        [measurement]: await meanCallMs((calls) => {
          for (let call = 0; call < calls; call++) hashSync(data);
        }, sampleMs),
      };
    }
    case 'hash-0B':
    case 'hash-256B':
    case 'hash-1MiB': {
      const { hash } = contenderFor(contenders, subject, measurement);
      const data = inputs[measurement];
      return {
        [measurement]: await meanCallMs(async (calls) => {
          for (let call = 0; call < calls; call++) await hash(data);
        }, sampleMs),
      };
    }
    case 'hashStream-64MiB': {
      if (subject === blockingControl) {
        return {
          [measurement]: await repeatMedian(repeats, () =>
            elapsedMs(async () => {
              const hasher = createHash('sha256');
              for await (const chunk of streamChunks()) hasher.update(chunk);
              hasher.digest();
            }),
          ),
        };
      }
      const contender = contenderFor(contenders, subject, measurement);
      return { [measurement]: await repeatMedian(repeats, () => elapsedMs(() => contender.hashStream(streamChunks()))) };
    }
    case 'deriveKey': {
      const contender = contenderFor(contenders, subject, measurement);
      return { [measurement]: await repeatMedian(repeats, () => elapsedMs(() => contender.deriveKey('password', salt, heavyIterations))) };
    }
    case 'heavy': {
      const run =
        subject === blockingControl
          ? () => deriveBlocking(heavyConcurrency, salt)
          : () => deriveConcurrently(contenderFor(contenders, subject, measurement), heavyConcurrency, salt);
      const { durationMs, maxMs, p99Ms } = await measureLateness(run);
      return { 'deriveKey-x8': durationMs, 'loop-max': maxMs, 'loop-p99': p99Ms };
    }
    case 'fault-in-process':
    case 'fault-process-death': {
      const contender = contenderFor(contenders, subject, measurement);
      const faultDrill = drill(contender, measurement);
      return { [measurement]: await repeatMedian(repeats, () => faultCostMs(contender.kind, faultDrill)) };
    }
  }
}

async function warmUp(contender: KindContender): Promise<void> {
  await checkResults(contender);
  // First calls load crash builds, start pools and children, and compile hot paths: none of it is timed.
  for (const data of Object.values(inputs)) {
    await contender.hash(data);
    contender.hashSync?.(data);
  }
  await deriveConcurrently(contender, 2, salt);
  for (const faultDrill of Object.values(contender.faults)) await faultCostMs(contender.kind, faultDrill);
}

async function closeAll(contenders: Iterable<KindContender>): Promise<void> {
  const closing = Promise.all([...contenders].map((contender) => contender.close()));
  const timedOut = sleep(closeTimeoutMs, 'timed out', { ref: false });
  if ((await Promise.race([closing, timedOut])) === 'timed out') {
    throw new WorkloadError(`closing the packages took over ${closeTimeoutMs / 1000} s`);
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as WorkloadConfig;
  const steps = planRounds(config.settings.rounds);
  const total = kinds.length + steps.length;
  const contenders = new Map<Kind, KindContender>();
  try {
    for (const [index, kind] of kinds.entries()) {
      await send({ type: 'step', done: index, total, round: 0, measurement: 'warm-up', subject: kind });
      const dir = config.packages[kind];
      if (dir === undefined) throw new WorkloadError(`no package of the kind ${kind} was prepared`);
      const contender = await loadKind(kind, dir);
      contenders.set(kind, contender);
      await warmUp(contender);
    }
    const samples: Samples = {};
    for (const [index, step] of steps.entries()) {
      await send({ type: 'step', done: kinds.length + index, total, round: step.round, measurement: step.measurement, subject: step.subject });
      for (const [metric, value] of Object.entries(await measureStep(step, contenders, config))) {
        ((samples[metric] ??= {})[step.subject] ??= []).push(value);
      }
    }
    await closeAll(contenders.values());
    await send({ type: 'done', samples });
  } catch (error) {
    await send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
  }
}

await main();
// Anything a package left running (a worker, a child) must not keep the measurement process alive.
process.exit();

