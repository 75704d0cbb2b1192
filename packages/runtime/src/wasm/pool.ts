/// <reference lib="dom" />
import { onAbort } from '../call-options.js';
import { InteropError } from '../errors.js';
import { forEachSlice, isCopiedAtCall } from '../large-input.js';
import { transferredFromBytes, type WorkerCall, type WorkerInit, type WorkerInput, type WorkerReply } from './messages.js';
import { defaultPoolSize, isNode } from './platform.js';
import type { WasmRunner } from './runner.js';

/**
 * The functions a package runs on a runner, by name: the same ones serve in-thread calls and pool
 * workers. The module that exports them (as `operations`) is loaded by URL inside each worker, so it
 * must not import anything by bare specifier (browsers do not give workers the page's import map).
 */
export type WasmOperations = Record<string, (runner: WasmRunner, ...args: never[]) => unknown>;

export interface WorkerPoolOptions {
  wasmUrl: URL;
  /** URL of a module exporting `operations` (see WasmOperations). */
  operationsUrl: URL;
  /** Most workers at once; default one per core but one. */
  size?: number;
  maxMemoryPages?: number;
}

export interface WorkerPool {
  /**
   * Runs an operation on a free worker (queueing FIFO); `cancel` ends it by replacing that worker.
   * Buffers in `transfer` move to the worker instead of being copied.
   */
  run(operation: string, args: unknown[], cancel: AbortSignal, transfer?: ArrayBuffer[]): Promise<unknown>;
  /**
   * Runs `operation(runner, input, ...args)` on a worker, taking `input` as every call takes its bytes
   * (see large-input.ts): up to LIMITS.copiedAtCallBytes copied before this returns, and that copy
   * moved to the worker from transferredFromBytes on; a larger input read a slice per event-loop turn
   * and sent in slices, so this thread neither copies nor allocates it whole (a 64 MiB buffer here cost
   * a full garbage collection per call).
   */
  runOnInput(operation: string, input: Uint8Array, args: unknown[], cancel: AbortSignal): Promise<unknown>;
  /** Live workers (each terminated one is replaced only when work needs it). */
  readonly size: number;
  /** Terminates every worker; calls in flight or queued reject with ERR_ABORTED. Idempotent. */
  close(): Promise<void>;
}

/** The part of a worker the pool uses, the same for worker_threads and Web Workers. */
interface WorkerHandle {
  post(message: WorkerInit | WorkerCall | WorkerInput, transfer?: ArrayBuffer[]): void;
  /** Keeps (or stops keeping) a Node process alive for this worker. */
  hold(busy: boolean): void;
  terminate(): Promise<unknown>;
}

interface Job {
  operation: string;
  args: unknown[];
  transfer: ArrayBuffer[];
  /** An input too large to copy at the call: sent to the worker in slices once the job starts. */
  streamed?: Uint8Array;
  /** Its length at the call: a transfer meanwhile detaches it, and it would read as empty. */
  streamedBytes?: number;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  cancel: AbortSignal;
}

interface Slot {
  handle: WorkerHandle;
  job: Job | undefined;
  id: number;
}

const workerUrl = new URL('./worker.js', import.meta.url);

async function spawnWorker(onReply: (reply: WorkerReply) => void, onFailure: (error: unknown) => void): Promise<WorkerHandle> {
  if (isNode) {
    const { Worker } = await import('node:worker_threads');
    // No inherited node flags: workers reject several (--input-type, --expose-gc) and need none.
    const worker = new Worker(workerUrl, { execArgv: [] });
    worker.on('message', onReply);
    worker.on('error', onFailure);
    worker.on('exit', (code) => onFailure(new Error(`the worker exited with code ${code}`)));
    return {
      post: (message, transfer) => worker.postMessage(message, transfer),
      hold: (busy) => (busy ? worker.ref() : worker.unref()),
      terminate: () => {
        worker.removeAllListeners('exit');
        return worker.terminate();
      },
    };
  }
  const worker = new Worker(workerUrl, { type: 'module' });
  worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => onReply(event.data));
  worker.addEventListener('error', (event) => onFailure(new Error(event.message)));
  return {
    post: (message, transfer = []) => worker.postMessage(message, transfer),
    hold: () => {},
    terminate: async () => worker.terminate(),
  };
}

export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const init: WorkerInit = {
    type: 'init',
    wasmUrl: options.wasmUrl.href,
    operationsUrl: options.operationsUrl.href,
    ...(options.maxMemoryPages !== undefined && { maxMemoryPages: options.maxMemoryPages }),
  };
  const sizing = options.size !== undefined ? Promise.resolve(options.size) : defaultPoolSize();
  const slots = new Set<Slot>();
  const queue: Job[] = [];
  let spawning = 0;
  let nextId = 1;
  let closed = false;

  function retire(slot: Slot): Promise<unknown> {
    slots.delete(slot);
    return slot.handle.terminate();
  }

  function finish(slot: Slot, settle: (job: Job) => void) {
    const job = slot.job;
    if (job === undefined) return;
    slot.job = undefined;
    slot.handle.hold(false);
    settle(job);
    void dispatch();
  }

  /** Ends the job `slot` runs with `error`: only terminating its thread stops wasm code that is running. */
  function failRunning(slot: Slot, job: Job, error: unknown) {
    if (slot.job !== job) return;
    void retire(slot);
    slot.job = undefined;
    job.reject(error);
    // The replacement worker starts on demand.
    void dispatch();
  }

  /** The caller gave up on `job`: a queued one leaves the queue, a running one takes its worker with it. */
  function abandon(job: Job) {
    const queued = queue.indexOf(job);
    if (queued !== -1) {
      queue.splice(queued, 1);
      job.reject(job.cancel.reason);
      return;
    }
    for (const slot of slots) if (slot.job === job) failRunning(slot, job, job.cancel.reason);
  }

  function start(slot: Slot, job: Job) {
    if (job.streamed !== undefined && job.streamed.byteLength !== job.streamedBytes) {
      job.reject(new InteropError('ERR_INVALID_ARG', `an input of ${job.streamedBytes} bytes was detached (transferred) before its call started`));
      void dispatch();
      return;
    }
    slot.job = job;
    slot.id = nextId++;
    slot.handle.hold(true);
    const { id } = slot;
    const { streamed } = job;
    slot.handle.post(
      { type: 'call', id, operation: job.operation, args: job.args, ...(streamed && { inputBytes: job.streamedBytes }) },
      job.transfer,
    );
    if (streamed === undefined) return;
    forEachSlice(streamed, job.cancel, (slice) => {
      if (slot.job !== job) return;
      // A copy in a buffer of its own (a Buffer's slice() would be a view of the caller's), moved to the worker.
      const chunk = new Uint8Array(slice).buffer as ArrayBuffer;
      slot.handle.post({ type: 'input', id, chunk }, [chunk]);
    }).catch((error: unknown) => failRunning(slot, job, error));
  }

  async function addWorker(): Promise<void> {
    spawning++;
    try {
      // Worker events arrive as tasks, after the spawn below has resolved and set `slot`.
      let slot: Slot | undefined;
      const handle = await spawnWorker(
        (reply) => {
          if (slot === undefined || reply.id !== slot.id) return;
          finish(slot, (job) =>
            'error' in reply ? job.reject(new InteropError(reply.error.code, reply.error.message)) : job.resolve(reply.value),
          );
        },
        (error) => {
          if (slot === undefined) return;
          void retire(slot);
          finish(slot, (job) =>
            job.reject(new InteropError('ERR_INTERNAL', `a wasm pool worker failed: ${String(error)}`, { cause: error })),
          );
        },
      );
      slot = { handle, job: undefined, id: 0 };
      if (closed) {
        await handle.terminate();
        return;
      }
      slot.handle.post(init);
      slot.handle.hold(false);
      slots.add(slot);
    } finally {
      spawning--;
    }
  }

  /**
   * Starts queued jobs on idle workers, adding workers up to the limit. Never rejects (its callers do not
   * wait for it): a worker that cannot be created fails the jobs waiting for one.
   */
  async function dispatch(): Promise<void> {
    try {
      const limit = await sizing;
      // No await between this check and addWorker's count, so concurrent dispatches cannot overshoot.
      while (queue.length > 0 && !closed) {
        const idle = [...slots].find((slot) => slot.job === undefined);
        if (idle !== undefined) {
          start(idle, queue.shift()!);
          continue;
        }
        if (slots.size + spawning >= limit) return;
        await addWorker();
      }
    } catch (error) {
      const failure = new InteropError('ERR_INTERNAL', `could not start a wasm pool worker: ${String(error)}`, {
        cause: error,
      });
      for (const job of queue.splice(0)) job.reject(failure);
    }
  }

  function enqueue(job: Omit<Job, 'resolve' | 'reject'>): Promise<unknown> {
    if (closed) return Promise.reject(new InteropError('ERR_ABORTED', 'the wasm worker pool is closed'));
    const { cancel } = job;
    if (cancel.aborted) return Promise.reject(cancel.reason);
    return new Promise((resolve, reject) => {
      // One listener per signal however many jobs share it (onAbort), let go of when the job settles.
      const stopWatching = onAbort(cancel, () => abandon(queued));
      const queued: Job = Object.assign(job, {
        resolve(value: unknown) {
          stopWatching();
          resolve(value);
        },
        reject(error: unknown) {
          stopWatching();
          reject(error);
        },
      });
      queue.push(queued);
      void dispatch();
    });
  }

  return {
    run(operation, args, cancel, transfer = []) {
      return enqueue({ operation, args, transfer, cancel });
    },
    runOnInput(operation, input, args, cancel) {
      if (!isCopiedAtCall(input)) {
        return enqueue({ operation, args, transfer: [], cancel, streamed: input, streamedBytes: input.byteLength });
      }
      const copy = new Uint8Array(input);
      const transfer = copy.byteLength < transferredFromBytes ? [] : [copy.buffer as ArrayBuffer];
      return enqueue({ operation, args: [copy, ...args], transfer, cancel });
    },
    get size() {
      return slots.size;
    },
    async close() {
      closed = true;
      const closedError = new InteropError('ERR_ABORTED', 'the wasm worker pool was closed during the call');
      for (const job of queue.splice(0)) job.reject(closedError);
      const terminations = [...slots].map((slot) => {
        const job = slot.job;
        slot.job = undefined;
        job?.reject(closedError);
        return retire(slot);
      });
      await Promise.all(terminations);
    },
  };
}
