import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LIMITS } from './contract-args.js';
import { forEachSlice, isCopiedAtCall, turnIfHeld } from './large-input.js';

describe('forEachSlice', () => {
  it('without setImmediate (a browser) waits for the next turn with a message, and visits every slice', async () => {
    const { setImmediate: saved } = globalThis;
    // @ts-expect-error: a browser's global scope, for this test
    delete globalThis.setImmediate;
    try {
      const offsets: number[] = [];
      expect(await forEachSlice(new Uint8Array(5000), new AbortController().signal, (_slice, offset) => offsets.push(offset), 1000)).toBe(true);
      expect(offsets).toEqual([0, 1000, 2000, 3000, 4000]);
    } finally {
      globalThis.setImmediate = saved;
    }
  });

  it('rejects with ERR_INVALID_ARG once the input is detached midway, instead of visiting empty slices', async () => {
    const bytes = new Uint8Array(2500);
    const seen: number[] = [];
    const walking = forEachSlice(bytes, new AbortController().signal, (_slice, offset) => seen.push(offset), 1000);
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    await expect(walking).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    expect(seen).toEqual([0]);
  });

  it('visits consecutive slices covering the input, the first at once', async () => {
    const bytes = new Uint8Array(randomBytes(2500));
    const seen: Array<[number, number]> = [];
    const walking = forEachSlice(bytes, new AbortController().signal, (slice, offset) => seen.push([offset, slice.length]), 1000);
    expect(seen).toEqual([[0, 1000]]);
    expect(await walking).toBe(true);
    expect(seen).toEqual([
      [0, 1000],
      [1000, 1000],
      [2000, 500],
    ]);
  });

  it('lets other work run between slices', async () => {
    const order: string[] = [];
    const walking = forEachSlice(new Uint8Array(5000), new AbortController().signal, (_slice, offset) => order.push(String(offset)), 1000);
    setImmediate(() => order.push('other'));
    await walking;
    expect(order.indexOf('other')).toBeGreaterThan(0);
    expect(order.indexOf('other')).toBeLessThan(order.length - 1);
  });

  it('reports false when cancelled part way', async () => {
    const cancel = new AbortController();
    let slices = 0;
    const walking = forEachSlice(new Uint8Array(5000), cancel.signal, () => slices++, 1000);
    cancel.abort();
    expect(await walking).toBe(false);
    expect(slices).toBe(1);
  });

  it('isCopiedAtCall draws the line at LIMITS.copiedAtCallBytes', () => {
    expect(isCopiedAtCall(new Uint8Array(LIMITS.copiedAtCallBytes))).toBe(true);
    expect(isCopiedAtCall(new Uint8Array(LIMITS.copiedAtCallBytes + 1))).toBe(false);
  });

  it('turnIfHeld gives the loop a turn once a chain of calls has run for over half a millisecond', async () => {
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    // 100 calls of 0.1 ms each, chained: 10 ms of work that never leaves the microtask queue by itself.
    for (let call = 0; call < 100; call++) {
      await turnIfHeld();
      const until = performance.now() + 0.1;
      while (performance.now() < until);
    }
    clearInterval(ticking);
    expect(turns).toBeGreaterThanOrEqual(2); // none without it
  });
});
