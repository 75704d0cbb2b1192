import { describe, expect, it } from 'vitest';
import { checkCallOptions, withCallOptions } from './call-options.js';
import { isInteropError } from './errors.js';
import { countedSignal } from './test-support/counted-signal.js';

const never = () => new Promise<never>(() => {});

describe('checkCallOptions', () => {
  it('accepts nothing, a signal and a timeout', () => {
    expect(checkCallOptions(undefined)).toEqual({});
    const signal = new AbortController().signal;
    expect(checkCallOptions({ signal, timeoutMs: 5 })).toEqual({ signal, timeoutMs: 5 });
  });

  it.each([null, 5, 'x', { signal: {} }, { timeoutMs: -1 }, { timeoutMs: Number.NaN }, { timeoutMs: '5' }, { timeoutMs: 2 ** 31 }])(
    'rejects %j with ERR_INVALID_ARG',
    (options) => {
      expect(() => checkCallOptions(options)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG' }));
    },
  );
});

describe('withCallOptions', () => {
  it('resolves with the task result and never fires cancel', async () => {
    let cancelSignal: AbortSignal | undefined;
    const value = await withCallOptions({ timeoutMs: 1000 }, async (cancel) => {
      cancelSignal = cancel;
      return 42;
    });
    expect(value).toBe(42);
    expect(cancelSignal?.aborted).toBe(false);
  });

  it('rejects at once when the signal is already aborted, without starting the task', async () => {
    let started = false;
    const controller = new AbortController();
    controller.abort();
    await expect(
      withCallOptions({ signal: controller.signal }, async () => {
        started = true;
      }),
    ).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(started).toBe(false);
  });

  it('rejects with ERR_ABORTED when aborted mid-call and tells the task to stop', async () => {
    const controller = new AbortController();
    let cancelSignal: AbortSignal | undefined;
    const call = withCallOptions({ signal: controller.signal }, (cancel) => {
      cancelSignal = cancel;
      return never();
    });
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(cancelSignal?.aborted).toBe(true);
  });

  it('rejects with ERR_TIMEOUT when the task outlives timeoutMs and tells the task to stop', async () => {
    let cancelSignal: AbortSignal | undefined;
    const call = withCallOptions({ timeoutMs: 10 }, (cancel) => {
      cancelSignal = cancel;
      return never();
    });
    await expect(call).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(cancelSignal?.aborted).toBe(true);
  });

  it('maps task failures, thrown or rejected, to InteropError', async () => {
    const rejected = withCallOptions(undefined, () => Promise.reject(new Error('ERR_NATIVE_PANIC: boom')));
    await expect(rejected).rejects.toMatchObject({ code: 'ERR_NATIVE_PANIC', message: 'boom' });
    const thrown = withCallOptions(undefined, () => {
      throw new Error('plain');
    });
    await expect(thrown).rejects.toSatisfy((error) => isInteropError(error, 'ERR_INTERNAL'));
  });

  it('rejects bad options with ERR_INVALID_ARG instead of throwing synchronously', async () => {
    await expect(withCallOptions({ timeoutMs: -5 }, async () => 1)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
  });

  it('removes its abort listener once settled', async () => {
    const { signal, counts } = countedSignal();
    for (let i = 0; i < 100; i++) await withCallOptions({ signal }, async () => i);
    expect(counts.added).toBe(100);
    expect(counts.removed).toBe(100);
  });
});

describe('calls sharing one AbortSignal', () => {
  it('add one abort listener between them, and an abort rejects and cancels every one', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const { controller, signal, counts } = countedSignal();
      let cancelled = 0;
      const calls = Array.from({ length: 100 }, () =>
        withCallOptions({ signal }, (cancel) => {
          cancel.addEventListener('abort', () => cancelled++);
          return new Promise<never>(() => {});
        }),
      );
      controller.abort();
      const outcomes = await Promise.allSettled(calls);
      expect(outcomes.map((outcome) => outcome.status === 'rejected' && outcome.reason.code)).toEqual(
        Array(100).fill('ERR_ABORTED'),
      );
      expect(cancelled).toBe(100);
      expect(counts.added).toBe(1);
      // A warning is emitted on the next tick of the one that added the eleventh listener.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
