import { pbkdf2Sync } from 'node:crypto';
import { measureEventLoopDelay } from '@interop-module/runtime/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { close, deriveKey, hash } from '../lib/index.js';
import { randomData } from './random.js';

// "Never block the loop for more than a few ms": the budget a call may cost the caller's event loop.
const maxDelayBudgetMs = 5;
const salt = randomData(16);

/**
 * Blocking the loop is deterministic: it shows in every sample. The OS, a shared VM, and memory work on
 * other threads of the process (a wasm worker growing or touching its memory, measured at 3-8 ms on 2
 * cores) add random pauses now and then. So the lowest max delay of up to five samples is what is
 * judged, and every sample is printed.
 */
async function lowestMaxDelay(label: string, work: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    samples.push((await measureEventLoopDelay(work)).maxDelayMs);
    if (samples.at(-1)! <= maxDelayBudgetMs) break;
  }
  console.log(`event loop max delay while ${label}: ${samples.map((ms) => `${ms.toFixed(2)} ms`).join(', ')}`);
  return Math.min(...samples);
}

afterAll(() => close());

describe('event loop', () => {
  it('the probe catches a blocking call (control)', async () => {
    const delay = await lowestMaxDelay('pbkdf2Sync(100k) runs on the loop', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      pbkdf2Sync('pw', salt, 100_000, 32, 'sha256');
    });
    expect(delay).toBeGreaterThan(maxDelayBudgetMs);
  });

  it(`four deriveKey(…, 100_000) in parallel keep the loop within ${maxDelayBudgetMs} ms`, async () => {
    // Warm up so one-off costs (module load, JIT, thread start) are not charged to the calls.
    await deriveKey('warm', salt, 1000);
    const delay = await lowestMaxDelay('4 × deriveKey(100k) run', async () => {
      const keys = await Promise.all([1, 2, 3, 4].map((i) => deriveKey(`password ${i}`, salt, 100_000)));
      expect(keys).toHaveLength(4);
    });
    expect(delay).toBeLessThanOrEqual(maxDelayBudgetMs);
  });

  it('hashing 16 MiB asynchronously keeps the loop within budget', async () => {
    const data = randomData(16 * 1024 * 1024);
    await hash(randomData(1024));
    const delay = await lowestMaxDelay('hash(16 MiB) runs', () => hash(data));
    expect(delay).toBeLessThanOrEqual(maxDelayBudgetMs);
  });
});
