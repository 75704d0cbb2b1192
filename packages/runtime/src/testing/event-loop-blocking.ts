import { closeSync, openSync, readlinkSync, readSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { warmUp } from './call-rate.js';

/**
 * How the longest block was measured: the JavaScript thread's own clocks where Node or the OS offers
 * them (what the thread ran, whatever else the machine was doing); elsewhere, how late a 1 ms timer
 * fired (wall clock, which also counts time the OS gave to other processes).
 */
export type BlockingClock = 'thread-cpu' | 'wall';

export interface EventLoopBlockingReport<T> {
  result: T;
  /**
   * The longest stretch of work on this thread that kept timers waiting, in milliseconds: its CPU time
   * between two ticks of a 1 ms timer (`clock` 'thread-cpu'), or the longest timer lateness ('wall').
   * A thread clock does not see a block that sleeps rather than computes (Atomics.wait, a lock, a
   * blocking syscall): the time a thread spends off the CPU between ticks cannot be told apart from
   * the host's scheduling — on this project's 2-core VM at load 12, an idle loop's thread slept up to
   * 62 ms between two 1 ms ticks — so it could not be judged the same on a busy machine.
   */
  longestBlockMs: number;
  clock: BlockingClock;
  /** Longest a 1 ms timer fired late (wall clock), for reports; it grows when the machine is busy. */
  maxDelayMs: number;
}

const nanosecondsPerMs = 1e6;

/** A clock of the calling thread's CPU time. */
interface ThreadClock {
  /** Nanoseconds this thread has run on a CPU. */
  read(): number;
  close(): void;
}

/** Linux: the first field of the calling thread's schedstat, a few microseconds per read through one open fd. */
class SchedstatClock implements ThreadClock {
  readonly #fd: number;
  readonly #buffer = Buffer.alloc(128);

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /** Undefined where /proc has no per-thread schedstat (not Linux, or a restricted /proc). */
  static open(): SchedstatClock | undefined {
    if (process.platform !== 'linux') return undefined;
    try {
      // "<pid>/task/<tid>" of the thread reading it: this works in worker threads too.
      const task = readlinkSync('/proc/thread-self');
      const clock = new SchedstatClock(openSync(`/proc/${task}/schedstat`, 'r'));
      clock.read();
      return clock;
    } catch {
      return undefined;
    }
  }

  read(): number {
    // schedstat shows the running thread's total as of its last scheduler tick (4 ms apart at HZ=250);
    // getrusage(RUSAGE_SELF), which process.cpuUsage() calls, first brings the caller's total up to date.
    process.cpuUsage();
    const length = readSync(this.#fd, this.#buffer, 0, this.#buffer.length, 0);
    return Number.parseInt(this.#buffer.toString('latin1', 0, length), 10);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/** Elsewhere, Node's own per-thread CPU clock where it has one (Node 22 and later; microseconds). */
function nodeThreadClock(): ThreadClock | undefined {
  const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.bind(process);
  if (usage === undefined) return undefined;
  return {
    read() {
      const { user, system } = usage();
      return (user + system) * 1000;
    },
    close() {},
  };
}

function tick(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `work` and reports the longest time it kept this thread's event loop from running timers.
 *
 * Wall-clock lateness alone mixes the package's work with time the OS gave to other processes, so on
 * a busy machine it judges the scheduler. The thread's CPU clock read at every tick of a 1 ms timer
 * does not: the largest growth of its CPU time between two ticks is the longest stretch of work on this
 * thread, synchronous parts of `work` included, and a blocking call shows in full however busy the
 * machine is.
 */
export async function measureEventLoopBlocking<T>(work: () => Promise<T> | T): Promise<EventLoopBlockingReport<T>> {
  const clock = SchedstatClock.open() ?? nodeThreadClock();
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let longestNs = 0;
  let last = clock?.read() ?? 0;
  const sample = () => {
    if (clock === undefined) return;
    const now = clock.read();
    longestNs = Math.max(longestNs, now - last);
    last = now;
  };
  const ticker = setInterval(sample, 1);
  try {
    // The delay monitor's first tick only sets its baseline: work that blocks before the second would go unseen.
    for (let waitedMs = 0; histogram.count === 0 && waitedMs < 100; waitedMs++) await tick(1);
    sample();
    longestNs = 0;
    const result = await work();
    // A few more ticks, so a block at the very end of `work` is sampled too.
    await tick(5);
    sample();
    const maxDelayMs = histogram.max / nanosecondsPerMs;
    return {
      result,
      longestBlockMs: clock === undefined ? maxDelayMs : longestNs / nanosecondsPerMs,
      clock: clock === undefined ? 'wall' : 'thread-cpu',
      maxDelayMs,
    };
  } finally {
    clearInterval(ticker);
    histogram.disable();
    clock?.close();
  }
}

export interface BlockingSamples {
  /** The median of the samples' longest blocks, in milliseconds: what a test should judge. */
  medianMs: number;
  reports: EventLoopBlockingReport<unknown>[];
  /** The clock and every sample, for a test's log. */
  summary: string;
}

export interface BlockingSampleOptions {
  /** Samples to take. Default 5. */
  samples?: number;
  /**
   * Runs of `work` first, not measured. Default 0. A path V8 has not compiled yet costs the thread
   * several times what it costs compiled: four port calls on 64 KiB strings held the loop 3.3–3.6 ms
   * (median) after one warm-up call, 0.8–1.1 ms after 50 runs.
   */
  warmupRuns?: number;
  /** Ends the warm-up early once this many milliseconds have passed. Default: no limit. */
  warmupMs?: number;
}

/**
 * Runs `work` `samples` times (default 5) under measureEventLoopBlocking, after `warmupRuns`. A call that
 * blocks the loop does so every time it runs, so the median catches a block that shows in most samples,
 * while one stray pause of the process that measures (its own garbage collection, say) cannot decide a verdict.
 */
export async function sampleEventLoopBlocking(work: () => Promise<unknown> | unknown, options: BlockingSampleOptions = {}): Promise<BlockingSamples> {
  const { samples = 5, warmupRuns = 0, warmupMs } = options;
  await warmUp(work, warmupRuns, warmupMs);
  const reports: EventLoopBlockingReport<unknown>[] = [];
  for (let sample = 0; sample < samples; sample++) reports.push(await measureEventLoopBlocking(work));
  const sorted = reports.map((report) => report.longestBlockMs).sort((a, b) => a - b);
  const summary =
    `${reports[0]?.clock} clock, median ${sorted[Math.floor(samples / 2)]?.toFixed(2)} ms; samples: ` +
    reports.map((report) => `${report.longestBlockMs.toFixed(2)} ms (timer late ${report.maxDelayMs.toFixed(1)} ms)`).join(', ');
  return { medianMs: sorted[Math.floor(samples / 2)] ?? 0, reports, summary };
}
