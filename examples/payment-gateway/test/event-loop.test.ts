import { pbkdf2Sync } from 'node:crypto';
import { sampleEventLoopBlocking } from '@interop-module/runtime/testing';
import { describe, expect, it } from 'vitest';
import { sandboxCards } from '../lib/index.js';
import { openGateway, uniqueKey } from './support.js';

/** The longest stretch of work the gateway may put on the caller's JavaScript thread (see the template's event-loop test). */
const budgetMs = 2.5;

describe('event loop', () => {
  it('the probe catches a blocking call (control)', async () => {
    const sampled = await sampleEventLoopBlocking(() => pbkdf2Sync('pw', Buffer.alloc(16), 100_000, 32, 'sha256'));
    console.log(`longest block while pbkdf2Sync(100k) runs on the loop: ${sampled.summary}`);
    expect(sampled.medianMs).toBeGreaterThan(4 * budgetMs);
  });

  it(`20 payments in flight at once keep the longest stretch on the loop within ${budgetMs} ms`, async () => {
    const gateway = openGateway();
    await gateway.authorize({ amount: 1, currency: 'EUR', card: sandboxCards.approved, idempotencyKey: uniqueKey('warm') });
    const sampled = await sampleEventLoopBlocking(async () => {
      const payments = Array.from({ length: 20 }, () =>
        gateway.authorize({ amount: 100, currency: 'EUR', card: sandboxCards.approved, idempotencyKey: uniqueKey('loop') }),
      );
      expect((await Promise.all(payments)).every((result) => result.status === 'approved')).toBe(true);
    });
    console.log(`longest block while 20 payments run: ${sampled.summary}`);
    expect(sampled.medianMs).toBeLessThanOrEqual(budgetMs);
  });
});
