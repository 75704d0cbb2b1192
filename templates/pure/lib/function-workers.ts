/**
 * Where the pure kind's offloaded functions (added with `create-interop-module add`) run: their
 * reference (lib/reference/) on worker threads, so a long call never holds the event loop. At most
 * one fewer than the cores run at once (the runtime's limiter), leaving a core to the event loop. An
 * abort or timeout settles the call at once and terminates the worker running it, so the work stops
 * too; a new worker takes its place when work arrives.
 */
import { Worker } from 'node:worker_threads';
import { InteropError, createLimiter, forEachSlice, isCopiedAtCall, withCallOptions, type CallOptions } from '@interop-module/runtime';

// Through ../dist/ so the URL holds whether this file runs as lib/ (vitest) or dist/ (the build).
const workerUrl = new URL('../dist/function-worker.js', import.meta.url);

const running = createLimiter();
const idle: Worker[] = [];
const busy = new Set<Worker>();

/** What function-worker.ts answers. */
export type FunctionReply = { result: unknown } | { error: string };

/**
 * Each worker's shared memory for large arguments, one buffer per argument position, kept and reused
 * for its next calls: a fresh 16 MiB buffer per call costs this thread page faults to fill it and,
 * when collected, 2.5–5 ms to free four of them, both on the event loop. Dropped with the worker.
 */
const sharedMemory = new WeakMap<Worker, SharedArrayBuffer[]>();

/** Room for `bytes` in `worker`'s shared buffer number `position`, grown (replaced) when too small. */
function sharedRoom(worker: Worker, position: number, bytes: number): Uint8Array {
  const buffers = sharedMemory.get(worker) ?? [];
  sharedMemory.set(worker, buffers);
  if ((buffers[position]?.byteLength ?? -1) < bytes) buffers[position] = new SharedArrayBuffer(bytes);
  return new Uint8Array(buffers[position]!, 0, bytes);
}

/**
 * Bytes as every call takes them (the runtime's large-input.ts): up to LIMITS.copiedAtCallBytes copied
 * now; a larger input copied into the worker's shared memory a slice per event-loop turn, read while the
 * call runs, so that posting it copies nothing. Other values are posted (cloned) as they are.
 */
async function takeArgument(worker: Worker, position: number, value: unknown, cancel: AbortSignal): Promise<unknown> {
  if (!(value instanceof Uint8Array)) return value;
  if (isCopiedAtCall(value)) return new Uint8Array(value);
  const shared = sharedRoom(worker, position, value.byteLength);
  if (!(await forEachSlice(value, cancel, (slice, offset) => shared.set(slice, offset)))) throw cancel.reason;
  return shared;
}

function call(worker: Worker, name: string, args: unknown[], cancel: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const settle = (outcome: () => void) => {
      worker.off('message', onReply).off('error', onFailure).off('exit', onFailure);
      cancel.removeEventListener('abort', onCancel);
      busy.delete(worker);
      outcome();
    };
    const onReply = (reply: FunctionReply) =>
      settle(() => {
        worker.unref();
        idle.push(worker);
        if ('error' in reply) reject(new InteropError('ERR_INTERNAL', `${name} failed in its worker: ${reply.error}`));
        else resolve(reply.result);
      });
    const onFailure = (error: unknown) =>
      settle(() => reject(new InteropError('ERR_INTERNAL', `the worker running ${name} failed: ${String(error)}`, { cause: error })));
    const onCancel = () =>
      settle(() => {
        void worker.terminate();
        reject(cancel.reason);
      });
    worker.on('message', onReply).on('error', onFailure).on('exit', onFailure);
    cancel.addEventListener('abort', onCancel, { once: true });
    busy.add(worker);
    worker.ref();
    worker.postMessage({ name, args });
  });
}

/** Runs the reference function `name` on a worker thread under the caller's AbortSignal and timeout. */
export function runOffloaded(name: string, args: readonly unknown[], options?: CallOptions): Promise<unknown> {
  return withCallOptions(options, (cancel) =>
    running.run(async () => {
      if (cancel.aborted) throw cancel.reason;
      const worker = idle.pop() ?? new Worker(workerUrl);
      let taken: unknown[];
      try {
        taken = await Promise.all(args.map((value, position) => takeArgument(worker, position, value, cancel)));
      } catch (error) {
        // Cancelled while copying: the worker never started, and serves the next call.
        worker.unref();
        idle.push(worker);
        throw error;
      }
      return call(worker, name, taken, cancel);
    }),
  );
}

/** Terminates every worker; a later call starts new ones. Calls in flight reject with ERR_INTERNAL. */
export async function closeFunctionWorkers(): Promise<void> {
  const workers = [...idle.splice(0), ...busy];
  await Promise.all(workers.map((worker) => worker.terminate()));
}
