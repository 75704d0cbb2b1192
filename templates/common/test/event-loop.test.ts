import { pbkdf2Sync } from 'node:crypto';
import { sampleEventLoopBlocking } from '@interop-module/runtime/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { close, createHasher, deriveKey, hash, hashStream } from '../lib/index.js';
import { randomData } from './random.js';

/**
 * "Never block the loop for more than a couple of ms": the longest stretch of work a call may put on
 * the caller's JavaScript thread, measured as that thread's CPU time between two ticks of a 1 ms
 * timer (see measureEventLoopBlocking). Other processes competing for the machine do not change it,
 * so the suite holds on a busy laptop and still fails every time a call blocks.
 */
const budgetMs = 2.5;
const salt = randomData(16);

async function longestBlock(label: string, work: () => Promise<unknown>): Promise<number> {
  const sampled = await sampleEventLoopBlocking(work);
  console.log(`longest block while ${label}: ${sampled.summary}`);
  return sampled.medianMs;
}

afterAll(() => close());

describe('event loop', () => {
  it('the probe catches a blocking call (control)', async () => {
    const block = await longestBlock('pbkdf2Sync(100k) runs on the loop', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      pbkdf2Sync('pw', salt, 100_000, 32, 'sha256');
    });
    expect(block).toBeGreaterThan(4 * budgetMs);
  });

  it(`four deriveKey(…, 100_000) in parallel keep the longest stretch on the loop within ${budgetMs} ms`, async () => {
    // Warm up so one-off costs (module load, JIT, thread start) are not charged to the calls.
    await deriveKey('warm', salt, 1000);
    const block = await longestBlock('4 × deriveKey(100k) run', async () => {
      const keys = await Promise.all([1, 2, 3, 4].map((i) => deriveKey(`password ${i}`, salt, 100_000)));
      expect(keys).toHaveLength(4);
    });
    expect(block).toBeLessThanOrEqual(budgetMs);
  });

  it.each([16, 64])(`hashing %i MiB asynchronously keeps the longest stretch on the loop within ${budgetMs} ms`, async (mebibytes) => {
    const data = randomData(mebibytes * 1024 * 1024);
    await hash(randomData(1024));
    const block = await longestBlock(`hash(${mebibytes} MiB) runs`, () => hash(data));
    expect(block).toBeLessThanOrEqual(budgetMs);
  });

  /**
   * Hashers take an update in many calls (a port's in 256 KiB pieces, an in-thread backend's a slice per
   * turn), and the garbage of that many calls alone costs the loop 2–3 ms at times (1,024 awaited
   * hash(64 KiB) calls measured so here): so twice the budget. It still catches an update done at once
   * (hashing or copying 64 MiB holds the loop 50 ms and more).
   */
  it(`a hasher's 64 MiB update keeps the longest stretch on the loop within ${2 * budgetMs} ms`, async () => {
    const data = randomData(64 * 1024 * 1024);
    const warm = createHasher();
    await warm.update(data.subarray(0, 1024));
    await warm.dispose();
    const block = await longestBlock('createHasher().update(64 MiB) and digest run', async () => {
      const hasher = createHasher();
      await hasher.update(data);
      await hasher.digest();
    });
    expect(block).toBeLessThanOrEqual(2 * budgetMs);
  });

  /**
   * 1,024 updates in a row, their garbage as above, so a looser bound: what it catches is a chain of
   * calls that never lets the loop turn (an in-thread hasher held it for 76–260 ms that way).
   */
  it(`hashStream over 64 MiB in 64 KiB chunks lets the loop turn (longest stretch within ${4 * budgetMs} ms)`, async () => {
    const data = randomData(64 * 1024 * 1024);
    async function* chunks() {
      for (let offset = 0; offset < data.length; offset += 64 * 1024) yield data.subarray(offset, offset + 64 * 1024);
    }
    const block = await longestBlock('hashStream(64 MiB in 64 KiB chunks) runs', () => hashStream(chunks()));
    expect(block).toBeLessThanOrEqual(4 * budgetMs);
  });
});
