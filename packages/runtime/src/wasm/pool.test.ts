import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../contract-args.js';
import { InteropError } from '../errors.js';
import { countedSignal } from '../test-support/counted-signal.js';
import { sampleEventLoopBlocking } from '../testing/event-loop-blocking.js';
import { tinyModuleBytes } from './fixtures/tiny-module.js';
// The pool starts workers from the compiled worker.js, so this test uses the build (`test` depends on it).
import { createWorkerPool, type WorkerPool } from '../../dist/wasm/index.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'wasm-pool-test-'));
const wasmFile = path.join(scratch, 'tiny.wasm');
writeFileSync(wasmFile, tinyModuleBytes());
const wasmUrl = pathToFileURL(wasmFile);
const operationsUrl = new URL('./fixtures/operations.mjs', import.meta.url);

const pools: WorkerPool[] = [];
function pool(size = 2): WorkerPool {
  const created = createWorkerPool({ wasmUrl, operationsUrl, size });
  pools.push(created);
  return created;
}
const never = new AbortController().signal;

afterAll(async () => {
  await Promise.all(pools.map((created) => created.close()));
  rmSync(scratch, { recursive: true, force: true });
});

describe('createWorkerPool', () => {
  it('runs operations on workers and returns their results', async () => {
    const workers = pool();
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => workers.run('echo', [new Uint8Array([n])], never)));
    expect(results).toEqual([1, 2, 3, 4, 5].map((n) => new Uint8Array([n])));
    expect(workers.size).toBeLessThanOrEqual(2);
  });

  it('runOnInput copies an input up to copiedAtCallBytes at the call, so the caller may reuse its buffer at once', async () => {
    const workers = pool(1);
    const input = Buffer.alloc(LIMITS.copiedAtCallBytes, 5);
    const running = workers.runOnInput('echo', input, [], never);
    input.fill(0);
    const echoed = (await running) as Uint8Array;
    expect(echoed.length).toBe(input.length);
    expect(echoed.every((byte) => byte === 5)).toBe(true);
  });

  it('runOnInput sends a larger input to the worker in slices, and it arrives whole', async () => {
    const workers = pool(1);
    // A Buffer, whose slice() is a view: what is sent must be copies, never the caller's buffer moved away.
    const input = randomBytes(3 * LIMITS.copiedAtCallBytes + 123);
    const [echoed, empty] = await Promise.all([
      workers.runOnInput('echo', input, [], never),
      workers.runOnInput('echo', new Uint8Array(0), [], never),
    ]);
    expect(Buffer.from(echoed as Uint8Array).equals(input)).toBe(true);
    expect(input.buffer.byteLength).toBeGreaterThan(0);
    expect(empty).toEqual(new Uint8Array(0));
  });

  it('runOnInput stops sending once cancelled, and the pool serves on', async () => {
    const workers = pool(1);
    const cancel = new AbortController();
    const running = workers.runOnInput('echo', new Uint8Array(8 * LIMITS.copiedAtCallBytes), [], cancel.signal);
    cancel.abort(new InteropError('ERR_ABORTED', 'test abort'));
    await expect(running).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(await workers.run('echo', [new Uint8Array([9])], never)).toEqual(new Uint8Array([9]));
  });

  it('reports a trap as ERR_WASM_TRAP and the same worker serves the next call', async () => {
    const workers = pool(1);
    await expect(workers.run('trap', [], never)).rejects.toMatchObject({ code: 'ERR_WASM_TRAP' });
    expect(await workers.run('echo', [new Uint8Array([7])], never)).toEqual(new Uint8Array([7]));
    expect(workers.size).toBe(1);
  });

  it('ends a hung call by replacing its worker, then keeps serving', async () => {
    const workers = pool(1);
    const cancel = new AbortController();
    const hung = workers.run('hang', [], cancel.signal);
    const queued = workers.run('echo', [new Uint8Array([1])], never);
    setTimeout(() => cancel.abort(new InteropError('ERR_TIMEOUT', 'test timeout')), 100);
    await expect(hung).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(await queued).toEqual(new Uint8Array([1]));
  });

  it('drops a queued call whose signal fires before it starts', async () => {
    const workers = pool(1);
    const cancelHang = new AbortController();
    const hung = workers.run('hang', [], cancelHang.signal);
    const cancelQueued = new AbortController();
    const queued = workers.run('echo', [new Uint8Array([1])], cancelQueued.signal);
    cancelQueued.abort(new InteropError('ERR_ABORTED', 'test abort'));
    await expect(queued).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    cancelHang.abort(new InteropError('ERR_ABORTED', 'test abort'));
    await expect(hung).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });

  it('reports an unknown operation as ERR_INTERNAL', async () => {
    await expect(pool(1).run('nonsense', [], never)).rejects.toMatchObject({ code: 'ERR_INTERNAL' });
  });

  it('reports a module that cannot load as ERR_INTERNAL', async () => {
    const broken = createWorkerPool({ wasmUrl: pathToFileURL(path.join(scratch, 'missing.wasm')), operationsUrl, size: 1 });
    pools.push(broken);
    await expect(broken.run('echo', [new Uint8Array(1)], never)).rejects.toMatchObject({ code: 'ERR_INTERNAL' });
  });

  it('close rejects calls in flight with ERR_ABORTED, refuses new ones, and is idempotent', async () => {
    const workers = pool(1);
    // The expectation is attached before close() rejects the call, so the rejection is always handled.
    const hung = expect(workers.run('hang', [], never)).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await workers.close();
    await workers.close();
    await hung;
    await expect(workers.run('echo', [new Uint8Array(1)], never)).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(workers.size).toBe(0);
  });
});

describe('the event loop with 64 MiB each way', () => {
  it('runOnInput with a 64 MiB input and a 64 MiB result keeps the longest stretch on the loop within 5 ms', async () => {
    // The test module never frees what it allocates: room for the warm-up and five samples of 64 MiB each way.
    const workers = createWorkerPool({ wasmUrl, operationsUrl, size: 1, maxMemoryPages: 16 * 1024 });
    pools.push(workers);
    const input = Buffer.alloc(64 * 1024 * 1024, 9);
    await workers.runOnInput('echo', new Uint8Array(16), [], never);
    // Twice the generated suites' budget: a 64 MiB copy on this thread takes 15 ms or more, while the
    // collections V8 runs for 128 MiB of new buffers cost up to a few ms on a busy machine.
    const sampled = await sampleEventLoopBlocking(async () => {
      const echoed = (await workers.runOnInput('echo', input, [], never)) as Uint8Array;
      expect(echoed.length).toBe(input.length);
    });
    console.log(`longest block while echoing 64 MiB through a pool worker: ${sampled.summary}`);
    expect(sampled.medianMs).toBeLessThanOrEqual(5);
  }, 120_000);
});

describe('jobs and the caller\'s buffers and signals', () => {
  it('jobs sharing one AbortSignal add one listener between them, gone once they settle', async () => {
    const workers = pool(2);
    const { signal, counts } = countedSignal();
    const jobs = Array.from({ length: 50 }, (_, n) => workers.run('echo', [new Uint8Array([n])], signal));
    expect(counts.added - counts.removed).toBe(1);
    await Promise.all(jobs);
    expect(counts.added - counts.removed).toBe(0);
  });

  it('an input over copiedAtCallBytes transferred before or while it is sent fails its job with ERR_INVALID_ARG, and the pool goes on', async () => {
    const workers = pool(1);
    await workers.run('echo', [new Uint8Array(1)], never);
    const whileSent = new Uint8Array(8 * LIMITS.copiedAtCallBytes).fill(4);
    const sending = workers.runOnInput('echo', whileSent, [], never);
    // The job starts and its first slice leaves within this turn; the rest would follow a slice per turn.
    await new Promise((resolve) => setImmediate(resolve));
    structuredClone(whileSent.buffer, { transfer: [whileSent.buffer] });
    await expect(sending).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    const beforeStart = new Uint8Array(8 * LIMITS.copiedAtCallBytes).fill(4);
    const queued = workers.runOnInput('echo', beforeStart, [], never);
    structuredClone(beforeStart.buffer, { transfer: [beforeStart.buffer] });
    await expect(queued).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    expect(await workers.run('echo', [new Uint8Array([9])], never)).toEqual(new Uint8Array([9]));
  });
});
