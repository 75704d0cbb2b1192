/**
 * The timing loop of a package's benches: how fast a function runs when it is called over and over, each
 * call (awaited when it returns a promise) after the one before. Benches compare such rates from one run;
 * speed targets live there, never in tests.
 */

export interface CallRateOptions {
  /** How long to keep calling after the warm-up, in milliseconds; the loop ends at the first call past it. */
  sampleMs: number;
  /** Calls made first and not counted (JIT, first thread or worker start). Default 0. */
  warmupCalls?: number;
  /** Ends the warm-up early once this many milliseconds have passed. Default: no limit. */
  warmupMs?: number;
}

export interface CallRate {
  /** Calls counted, after the warm-up. */
  calls: number;
  elapsedMs: number;
  perSecond: number;
  microsecondsPerCall: number;
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/**
 * Calls `fn` `calls` times, each call after the one before, ending early once `withinMs` have passed:
 * what a measurement runs first, so it judges a call whose path V8 has compiled, not one-off costs (the
 * JIT, a first thread or worker start). A synchronous `fn` is not awaited, so no microtask is charged to it.
 */
export async function warmUp(fn: () => unknown, calls: number, withinMs = Number.POSITIVE_INFINITY): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < calls && performance.now() - started < withinMs; i++) {
    const result = fn();
    if (isPromiseLike(result)) await result;
  }
}

/** Calls `fn` for `sampleMs` after a warm-up. A synchronous `fn` is not awaited, so no microtask is charged to it. */
export async function measureCallRate(fn: () => unknown, options: CallRateOptions): Promise<CallRate> {
  const { sampleMs, warmupCalls = 0, warmupMs = Number.POSITIVE_INFINITY } = options;
  // No call at all would make every rate NaN or Infinity (BENCH_MS=0, say).
  if (!(sampleMs > 0)) throw new RangeError(`sampleMs must be a positive number of milliseconds, got ${sampleMs}`);
  await warmUp(fn, warmupCalls, warmupMs);
  let calls = 0;
  const started = performance.now();
  let elapsedMs = 0;
  while (elapsedMs < sampleMs) {
    const result = fn();
    if (isPromiseLike(result)) await result;
    calls++;
    elapsedMs = performance.now() - started;
  }
  return { calls, elapsedMs, perSecond: (calls * 1000) / elapsedMs, microsecondsPerCall: (elapsedMs * 1000) / calls };
}
