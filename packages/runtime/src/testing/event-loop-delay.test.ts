import { pbkdf2, pbkdf2Sync } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { measureEventLoopDelay } from './event-loop-delay.js';

describe('measureEventLoopDelay', () => {
  it('returns the result of the work', async () => {
    const report = await measureEventLoopDelay(async () => 'done');
    expect(report.result).toBe('done');
  });

  it('sees a 60 ms synchronous block, also one at the very start of the work', async () => {
    const block = () => {
      const until = performance.now() + 60;
      while (performance.now() < until);
    };
    const later = await measureEventLoopDelay(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      block();
    });
    expect(later.maxDelayMs).toBeGreaterThanOrEqual(50);
    expect((await measureEventLoopDelay(block)).maxDelayMs).toBeGreaterThanOrEqual(50);
  });

  it('reports far less for the same kind of work done on the thread pool than on the main thread', async () => {
    const salt = Buffer.alloc(16, 1);
    const blocking = await measureEventLoopDelay(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      pbkdf2Sync('pw', salt, 200_000, 32, 'sha256');
    });
    const offloaded = await measureEventLoopDelay(() => promisify(pbkdf2)('pw', salt, 200_000, 32, 'sha256'));
    expect(blocking.maxDelayMs).toBeGreaterThan(offloaded.maxDelayMs);
  });
});
