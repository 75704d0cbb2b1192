import { spawn } from 'node:child_process';
import { pbkdf2, pbkdf2Sync } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { measureEventLoopBlocking, sampleEventLoopBlocking } from './event-loop-blocking.js';

const salt = Buffer.alloc(16, 1);
const onThisThread = (iterations: number) => pbkdf2Sync('pw', salt, iterations, 32, 'sha256');
const offloaded = (iterations: number) => promisify(pbkdf2)('pw', salt, iterations, 32, 'sha256');

/** CPU milliseconds a synchronous call costs, as the process clock sees it (the call runs on this thread only). */
function cpuMsOf(work: () => unknown): number {
  const before = process.cpuUsage();
  work();
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / 1000;
}

/** Two processes spinning on the CPU (this machine's cores, or more), killed when `body` ends. */
async function withCompetingLoad<T>(body: () => Promise<T>): Promise<T> {
  const hogs = [1, 2].map(() =>
    // Each ends by itself after a minute (a timer could never fire in the busy loop), should this process die first.
    spawn(process.execPath, ['-e', 'const end = Date.now() + 60_000; while (Date.now() < end);'], { stdio: 'ignore' }),
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    return await body();
  } finally {
    for (const hog of hogs) hog.kill('SIGKILL');
  }
}

describe('measureEventLoopBlocking', () => {
  it('returns the result of the work, and says which clock it used', async () => {
    const report = await measureEventLoopBlocking(async () => 'done');
    expect(report.result).toBe('done');
    const threadClock = process.platform === 'linux' || 'threadCpuUsage' in process;
    expect(report.clock).toBe(threadClock ? 'thread-cpu' : 'wall');
  });

  it('sees a synchronous block in full, also one at the very start of the work', async () => {
    onThisThread(1000);
    // The least of three: another thread of this process (a collector, the test runner's) can add to one
    // reading, which once made a 26 ms call read 47 ms.
    const fullCost = Math.min(...[1, 2, 3].map(() => cpuMsOf(() => onThisThread(100_000))));
    const later = await measureEventLoopBlocking(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      onThisThread(100_000);
    });
    const atStart = await measureEventLoopBlocking(() => onThisThread(100_000));
    // process.cpuUsage() also counts V8's helper threads, so even the least reading is an upper bound.
    for (const report of [later, atStart]) expect(report.longestBlockMs).toBeGreaterThanOrEqual(0.6 * fullCost);
  });

  it('reports far less for the same work done on the thread pool than on this thread', async () => {
    const blocking = await measureEventLoopBlocking(() => onThisThread(100_000));
    const pooled = await measureEventLoopBlocking(() => offloaded(100_000));
    expect(blocking.longestBlockMs).toBeGreaterThan(5 * pooled.longestBlockMs);
  });

  it('judges the work, not the machine: with two CPU hogs competing, the same verdicts', async () => {
    const { blocking, pooled } = await withCompetingLoad(async () => ({
      blocking: await measureEventLoopBlocking(() => onThisThread(100_000)),
      pooled: await measureEventLoopBlocking(() => Promise.all([1, 2, 3, 4].map(() => offloaded(100_000)))),
    }));
    console.log(
      `under load: pbkdf2Sync(100k) ${blocking.longestBlockMs.toFixed(2)} ms CPU (timer late ${blocking.maxDelayMs.toFixed(2)} ms); ` +
        `4 × pbkdf2(100k) ${pooled.longestBlockMs.toFixed(2)} ms CPU (timer late ${pooled.maxDelayMs.toFixed(2)} ms)`,
    );
    expect(blocking.longestBlockMs).toBeGreaterThan(10);
    expect(pooled.longestBlockMs).toBeLessThan(5);
  });

  it('sampleEventLoopBlocking judges the median of its samples, and lists them all', async () => {
    let call = 0;
    // One sample of five blocks (a stray pause); the median is one of the four quiet ones.
    const sampled = await sampleEventLoopBlocking(() => (call++ === 2 ? onThisThread(100_000) : offloaded(1000)));
    expect(sampled.reports).toHaveLength(5);
    expect(Math.max(...sampled.reports.map((report) => report.longestBlockMs))).toBeGreaterThan(10);
    expect(sampled.medianMs).toBeLessThan(5);
    expect(sampled.summary).toMatch(/median .* ms; samples: .*timer late/);
    // Blocking in most samples is caught.
    call = 0;
    expect((await sampleEventLoopBlocking(() => (call++ % 5 < 3 ? onThisThread(100_000) : undefined))).medianMs).toBeGreaterThan(10);
  });

  it('runs warmupRuns of the work first, unmeasured, and ends the warm-up at warmupMs', async () => {
    let call = 0;
    // The first three runs block (a path not compiled yet, say): warmed up past them, no sample blocks.
    const warmed = await sampleEventLoopBlocking(() => (call++ < 3 ? onThisThread(100_000) : offloaded(1000)), { warmupRuns: 3, samples: 3 });
    expect(call).toBe(6);
    expect(warmed.reports).toHaveLength(3);
    expect(Math.max(...warmed.reports.map((report) => report.longestBlockMs))).toBeLessThan(5);
    // Without the warm-up, they are the samples.
    call = 0;
    expect((await sampleEventLoopBlocking(() => (call++ < 3 ? onThisThread(100_000) : offloaded(1000)), { samples: 3 })).medianMs).toBeGreaterThan(10);
    call = 0;
    const fiveMs = () => {
      call++;
      return new Promise((resolve) => setTimeout(resolve, 5));
    };
    await sampleEventLoopBlocking(fiveMs, { warmupRuns: 1_000_000, warmupMs: 50, samples: 1 });
    expect(call).toBeGreaterThan(1);
    expect(call).toBeLessThan(100);
  });
});
