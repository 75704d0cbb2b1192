import { describe, expect, it } from 'vitest';
import { measureCallRate } from './call-rate.js';

describe('measureCallRate', () => {
  it('counts the calls after the warm-up over at least sampleMs, and derives the rates from them', async () => {
    let made = 0;
    const rate = await measureCallRate(() => void made++, { sampleMs: 20, warmupCalls: 7 });
    expect(made).toBe(rate.calls + 7);
    expect(rate.elapsedMs).toBeGreaterThanOrEqual(20);
    expect(rate.perSecond).toBeCloseTo((rate.calls * 1000) / rate.elapsedMs);
    expect(rate.microsecondsPerCall).toBeCloseTo((rate.elapsedMs * 1000) / rate.calls);
  });

  it('awaits a call that returns a promise before making the next', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const rate = await measureCallRate(
      async () => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
      },
      { sampleMs: 10, warmupCalls: 3 },
    );
    expect(rate.calls).toBeGreaterThan(0);
    expect(mostInFlight).toBe(1);
  });

  it('ends the warm-up at warmupMs even when warmupCalls are left', async () => {
    let made = 0;
    const rate = await measureCallRate(
      async () => {
        made++;
        await new Promise((resolve) => setTimeout(resolve, 2));
      },
      { sampleMs: 1, warmupCalls: 1_000_000, warmupMs: 10 },
    );
    // Each warm-up call takes 2 ms or more, so 10 ms leave room for a handful, not a million.
    expect(made - rate.calls).toBeLessThan(100);
  });

  it('refuses a sample of no time, which would make every rate NaN or Infinity', async () => {
    for (const sampleMs of [0, -1, Number.NaN]) {
      await expect(measureCallRate(() => undefined, { sampleMs })).rejects.toThrow(RangeError);
    }
  });
});
