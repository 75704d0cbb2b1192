import { availableParallelism } from 'node:os';

/**
 * How many CPU-heavy jobs a backend should run at once: one core is left to the event loop, because with
 * every core busy the OS delays the loop's thread by several milliseconds even though nothing blocks it.
 */
export function defaultOffloadConcurrency(): number {
  return Math.max(1, availableParallelism() - 1);
}

export interface Limiter {
  /** Runs job once a slot is free; jobs start in call order. */
  run<T>(job: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly queued: number;
}

/** A FIFO concurrency limit for offloaded work whose backend cannot itself yield the CPU. */
export function createLimiter(concurrency = defaultOffloadConcurrency()): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) next();
  };
  return {
    run(job) {
      return new Promise((resolve, reject) => {
        const start = () => {
          active++;
          let running;
          try {
            running = job();
          } catch (error) {
            running = Promise.reject(error);
          }
          running.then(resolve, reject).finally(release);
        };
        if (active < concurrency) start();
        else waiting.push(start);
      });
    },
    get active() {
      return active;
    },
    get queued() {
      return waiting.length;
    },
  };
}
