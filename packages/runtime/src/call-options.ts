import { InteropError, toInteropError } from './errors.js';

export interface CallOptions {
  /** Aborting rejects the call with ERR_ABORTED and asks the backend to stop its work. */
  signal?: AbortSignal;
  /** Milliseconds before the call rejects with ERR_TIMEOUT and the backend is asked to stop. */
  timeoutMs?: number;
}

/** Longest timeout a timer can hold; larger values would fire at once. */
const maxTimeoutMs = 2 ** 31 - 1;

export function checkCallOptions(options: unknown): CallOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    throw new InteropError('ERR_INVALID_ARG', 'options must be an object like { signal, timeoutMs }');
  }
  const { signal, timeoutMs } = options as Record<string, unknown>;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InteropError('ERR_INVALID_ARG', 'options.signal must be an AbortSignal');
  }
  if (
    timeoutMs !== undefined &&
    (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0 || timeoutMs > maxTimeoutMs)
  ) {
    throw new InteropError('ERR_INVALID_ARG', `options.timeoutMs must be a number from 0 to ${maxTimeoutMs}`);
  }
  return { signal, timeoutMs } as CallOptions;
}

/**
 * The calls waiting on each signal: one 'abort' listener per signal however many calls share it, removed
 * when the last of them settles. A batch run under one AbortController would otherwise add a listener
 * per call, and Node warns past ten (MaxListenersExceededWarning) as if the calls leaked.
 */
const abortWatches = new WeakMap<AbortSignal, { listener: () => void; waiters: Set<() => void> }>();

/** Runs `waiter` when `signal` aborts; the returned function stops waiting. */
export function onAbort(signal: AbortSignal, waiter: () => void): () => void {
  let watch = abortWatches.get(signal);
  if (watch === undefined) {
    const waiters = new Set<() => void>();
    const listener = () => {
      abortWatches.delete(signal);
      for (const each of waiters) each();
    };
    watch = { listener, waiters };
    abortWatches.set(signal, watch);
    signal.addEventListener('abort', listener, { once: true });
  }
  const { listener, waiters } = watch;
  waiters.add(waiter);
  return () => {
    waiters.delete(waiter);
    if (waiters.size === 0 && abortWatches.get(signal) === watch) {
      abortWatches.delete(signal);
      signal.removeEventListener('abort', listener);
    }
  };
}

function abortedError(): InteropError {
  return new InteropError('ERR_ABORTED', 'the call was aborted by its AbortSignal');
}

/**
 * Runs `task` under the caller's AbortSignal and timeout. The call settles as soon as the caller gives
 * up — it does not wait for the backend — and `cancel` fires so the backend can stop its work too.
 */
export function withCallOptions<T>(
  options: CallOptions | undefined,
  task: (cancel: AbortSignal) => Promise<T>,
): Promise<T> {
  let checked: CallOptions;
  try {
    checked = checkCallOptions(options);
  } catch (error) {
    return Promise.reject(error);
  }
  const { signal, timeoutMs } = checked;
  if (signal?.aborted) return Promise.reject(abortedError());

  const cancel = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = (error: InteropError) => {
      cleanup();
      cancel.abort(error);
      reject(error);
    };
    const stopWaiting = signal === undefined ? undefined : onAbort(signal, () => stop(abortedError()));
    const cleanup = () => {
      if (timer !== undefined) clearTimeout(timer);
      stopWaiting?.();
    };
    if (timeoutMs !== undefined) {
      timer = setTimeout(
        () => stop(new InteropError('ERR_TIMEOUT', `the call did not finish within ${timeoutMs} ms`)),
        timeoutMs,
      );
    }
    let running: Promise<T>;
    try {
      running = task(cancel.signal);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        // After an abort or timeout the promise is already rejected; a late failure changes nothing.
        reject(toInteropError(error));
      },
    );
  });
}
