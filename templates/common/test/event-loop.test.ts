import { pbkdf2Sync } from 'node:crypto';
import { measureEventLoopDelay } from '@interop-module/runtime/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { close, deriveKey, hash } from '../lib/index.js';
import { randomData } from './random.js';

// "Never block the loop for more than a few ms": the budget a call may cost the caller's event loop.
const maxDelayBudgetMs = 5;
const salt = randomData(16);

afterAll(() => close());

describe('event loop', () => {
  it('the probe catches a blocking call (control)', async () => {
    const report = await measureEventLoopDelay(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      pbkdf2Sync('pw', salt, 100_000, 32, 'sha256');
    });
    expect(report.maxDelayMs).toBeGreaterThan(maxDelayBudgetMs);
  });

  it(`four deriveKey(…, 100_000) in parallel keep the loop within ${maxDelayBudgetMs} ms`, async () => {
    // Warm up so one-off costs (module load, JIT, thread start) are not charged to the calls.
    await deriveKey('warm', salt, 1000);
    const report = await measureEventLoopDelay(() =>
      Promise.all([1, 2, 3, 4].map((i) => deriveKey(`password ${i}`, salt, 100_000))),
    );
    expect(report.result).toHaveLength(4);
    console.log(`event loop max delay with 4 × deriveKey(100k): ${report.maxDelayMs.toFixed(2)} ms`);
    expect(report.maxDelayMs).toBeLessThanOrEqual(maxDelayBudgetMs);
  });

  it('hashing 16 MiB asynchronously keeps the loop within budget', async () => {
    const data = randomData(16 * 1024 * 1024);
    await hash(randomData(1024));
    const report = await measureEventLoopDelay(() => hash(data));
    console.log(`event loop max delay while hash(16 MiB): ${report.maxDelayMs.toFixed(2)} ms`);
    expect(report.maxDelayMs).toBeLessThanOrEqual(maxDelayBudgetMs);
  });
});
