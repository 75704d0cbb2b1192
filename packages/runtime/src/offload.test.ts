import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { createLimiter, defaultOffloadConcurrency } from './offload.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('offload limiter', () => {
  it('leaves one core to the event loop, but never goes below one job', () => {
    expect(defaultOffloadConcurrency()).toBe(Math.max(1, availableParallelism() - 1));
  });

  it('runs at most `concurrency` jobs and starts the rest in order as slots free up', async () => {
    const limiter = createLimiter(2);
    const gates = [deferred<number>(), deferred<number>(), deferred<number>(), deferred<number>()];
    const started: number[] = [];
    const results = gates.map((gate, i) =>
      limiter.run(() => {
        started.push(i);
        return gate.promise;
      }),
    );
    expect(started).toEqual([0, 1]);
    expect(limiter.queued).toBe(2);
    gates[1]!.resolve(1);
    await results[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.reject(new Error('job 0 failed'));
    await expect(results[0]).rejects.toThrow('job 0 failed');
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2, 3]);
    gates[2]!.resolve(2);
    gates[3]!.resolve(3);
    expect(await Promise.all(results.slice(2))).toEqual([2, 3]);
    expect(limiter.active).toBe(0);
  });

  it('frees the slot of a job that throws synchronously', async () => {
    const limiter = createLimiter(1);
    await expect(
      limiter.run(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(await limiter.run(async () => 'next')).toBe('next');
  });

  it('refuses a concurrency that is not a positive integer', () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
    expect(() => createLimiter(1.5)).toThrow(RangeError);
  });
});
