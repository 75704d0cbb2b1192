import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { stageForTransfer } from './staging.js';

describe('stageForTransfer', () => {
  it('copies every byte into a buffer of its own, slice by slice', async () => {
    const bytes = new Uint8Array(randomBytes(10_000));
    const view = bytes.subarray(3, 9_001);
    const staged = await stageForTransfer(view, new AbortController().signal, 1000);
    expect(staged).toEqual(view);
    expect(staged!.buffer).not.toBe(bytes.buffer);
    expect(staged!.byteOffset).toBe(0);
    expect(staged!.buffer.byteLength).toBe(view.byteLength);
  });

  it('lets timers run between slices', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    await stageForTransfer(new Uint8Array(64 * 1000), new AbortController().signal, 1000);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });

  it('stops once the call is cancelled', async () => {
    const cancel = new AbortController();
    const staging = stageForTransfer(new Uint8Array(10_000), cancel.signal, 1000);
    cancel.abort();
    expect(await staging).toBeUndefined();
  });

  it('handles empty input', async () => {
    expect(await stageForTransfer(new Uint8Array(0), new AbortController().signal)).toEqual(new Uint8Array(0));
  });
});
