/** Timing primitives of the workload. Every loop here stops on time and on count, whichever comes first. */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** Stops a sample loop that runs faster than any backend could (0 B hashSync is ~0.1 µs at best). */
const maxCallsPerSample = 100_000_000;
/** A batch is at least this long, so the clock and the loop cost nothing next to the calls. */
const minBatchMs = 1;
const maxBatchCalls = 4096;

/** Makes `calls` calls of the operation being timed; sync or async. */
export type Batch = (calls: number) => unknown;

async function callFor(batch: Batch, durationMs: number): Promise<{ calls: number; elapsedMs: number }> {
  let calls = 0;
  let batchCalls = 1;
  const started = performance.now();
  let elapsedMs = 0;
  while (elapsedMs < durationMs && calls < maxCallsPerSample) {
    const batchStarted = performance.now();
    await batch(batchCalls);
    calls += batchCalls;
    const now = performance.now();
    if (now - batchStarted < minBatchMs && batchCalls < maxBatchCalls) batchCalls *= 2;
    elapsedMs = now - started;
  }
  return { calls, elapsedMs };
}

/** Mean milliseconds per call over `durationMs`, after a warm-up of a fifth of that, which is not counted. */
export async function meanCallMs(batch: Batch, durationMs: number): Promise<number> {
  await callFor(batch, durationMs / 5);
  const { calls, elapsedMs } = await callFor(batch, durationMs);
  return elapsedMs / calls;
}

export async function elapsedMs(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export interface Lateness {
  /** How long `work` took, in ms. */
  durationMs: number;
  /** Longest and 99th-percentile lateness of a 1 ms timer while `work` ran, in ms. */
  maxMs: number;
  p99Ms: number;
}

const resolutionMs = 1;
const nsPerMs = 1e6;
/** Ticks to wait for the monitor's first sample; it comes after two on an idle loop. */
const maxBaselineWaits = 50;

/**
 * Runs `work` with Node's event-loop delay monitor on. The monitor records the time between the ticks
 * of a `resolutionMs` timer, so an idle loop reads just above 1 ms: the interval is subtracted, leaving
 * how late each tick came.
 */
export async function measureLateness(work: () => Promise<unknown>): Promise<Lateness> {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  try {
    // The monitor's first tick only sets its baseline: a block before it would go unrecorded.
    for (let wait = 0; wait < maxBaselineWaits && histogram.count === 0; wait++) await sleep(resolutionMs);
    const durationMs = await elapsedMs(work);
    // One more tick, so a block at the very end of `work` is recorded too.
    await sleep(2 * resolutionMs);
    const lateness = (ns: number) => Math.max(0, ns / nsPerMs - resolutionMs);
    return { durationMs, maxMs: lateness(histogram.max), p99Ms: lateness(histogram.percentile(99)) };
  } finally {
    histogram.disable();
  }
}
