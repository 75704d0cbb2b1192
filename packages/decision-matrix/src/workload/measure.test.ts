import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { meanCallMs, measureLateness } from './measure.js';

describe('meanCallMs', () => {
  it('measures a known per-call cost', async () => {
    // Each call waits 2 ms; timers may fire late, never early.
    const perCall = await meanCallMs(async (calls) => {
      for (let call = 0; call < calls; call++) await sleep(2);
    }, 60);
    expect(perCall).toBeGreaterThanOrEqual(2);
    expect(perCall).toBeLessThan(10);
  });

  it('stops on time even for a call that costs next to nothing', async () => {
    let total = 0;
    const started = performance.now();
    const perCall = await meanCallMs((calls) => {
      total += calls;
    }, 30);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(total).toBeGreaterThan(1000);
    expect(perCall).toBeGreaterThan(0);
    expect(perCall).toBeLessThan(0.01);
  });
});

describe('measureLateness', () => {
  it('sees a 30 ms block on the loop, even one at the very start', async () => {
    const { maxMs, durationMs } = await measureLateness(async () => {
      const until = performance.now() + 30;
      while (performance.now() < until);
    });
    expect(maxMs).toBeGreaterThanOrEqual(25);
    expect(durationMs).toBeGreaterThanOrEqual(30);
  });

  it('reads near zero while the loop only waits', async () => {
    const { maxMs, p99Ms } = await measureLateness(() => sleep(50));
    expect(p99Ms).toBeLessThanOrEqual(maxMs);
    // Generous: a shared machine can pause any thread for a few ms.
    expect(maxMs).toBeLessThan(15);
  });
});
