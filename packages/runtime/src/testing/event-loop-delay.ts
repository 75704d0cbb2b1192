import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface EventLoopDelayReport<T> {
  result: T;
  /** Longest the event loop was late, in milliseconds, while `work` ran. */
  maxDelayMs: number;
  meanDelayMs: number;
}

const nanosecondsPerMs = 1e6;

/** Samples event-loop lateness every millisecond while `work` runs; blocking work shows up in maxDelayMs. */
export async function measureEventLoopDelay<T>(work: () => Promise<T> | T): Promise<EventLoopDelayReport<T>> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  try {
    // The monitor's first tick only sets its baseline: work that blocks before the second would go unseen.
    for (let waitedMs = 0; histogram.count === 0 && waitedMs < 100; waitedMs++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const result = await work();
    // One more turn so a block at the very end of `work` is sampled too.
    await new Promise((resolve) => setTimeout(resolve, 5));
    return {
      result,
      maxDelayMs: histogram.max / nanosecondsPerMs,
      meanDelayMs: histogram.count > 0 ? histogram.mean / nanosecondsPerMs : 0,
    };
  } finally {
    histogram.disable();
  }
}
