import { describe, expect, it } from 'vitest';
import { RestartRules } from './restart-policy.js';

const limits = { initialDelayMs: 10, maxDelayMs: 50, maxRestarts: 3, withinMs: 1000, cooldownMs: 500 };

/** Rules on a clock the test moves, with jitter fixed at `random` (0: half the backoff; towards 1: all of it). */
function rulesAt(random = 0, overrides: Partial<typeof limits> = {}) {
  const clock = { now: 0 };
  const rules = new RestartRules({ ...limits, ...overrides }, () => clock.now, () => random);
  return { rules, clock };
}

describe('restarts', () => {
  it('doubles the backoff for each exit in the window, up to maxDelayMs, jittered down to half', () => {
    const { rules } = rulesAt(0.999, { maxRestarts: 10 });
    const delays = Array.from({ length: 5 }, () => rules.exited());
    expect(delays).toEqual([10, 20, 40, 50, 50].map((delayMs, i) => ({ kind: 'restart', delayMs, restartsInWindow: i + 1 })));
    expect(rulesAt(0).rules.exited()).toMatchObject({ delayMs: 5 });
    expect(rulesAt(0.5).rules.exited()).toMatchObject({ delayMs: 8 });
  });

  it('forgets exits older than withinMs: the backoff starts over', () => {
    const { rules, clock } = rulesAt(0.999);
    rules.exited();
    clock.now = 600;
    expect(rules.exited()).toEqual({ kind: 'restart', delayMs: 20, restartsInWindow: 2 });
    clock.now = 1000;
    expect(rules.exited()).toEqual({ kind: 'restart', delayMs: 20, restartsInWindow: 2 });
    clock.now = 2000;
    expect(rules.exited()).toEqual({ kind: 'restart', delayMs: 10, restartsInWindow: 1 });
  });

  it('opens the circuit on the exit past maxRestarts within withinMs', () => {
    const { rules, clock } = rulesAt();
    for (let i = 0; i < 3; i++) {
      expect(rules.exited()).toMatchObject({ kind: 'restart' });
      clock.now += 100;
    }
    expect(rules.circuit).toBe('closed');
    expect(rules.exited()).toEqual({ kind: 'open-circuit', exitsInWindow: 4 });
    expect(rules.circuit).toBe('open');
  });

  it('with maxRestarts 0, the first exit opens the circuit', () => {
    expect(rulesAt(0, { maxRestarts: 0 }).rules.exited()).toEqual({ kind: 'open-circuit', exitsInWindow: 1 });
  });
});

describe('circuit', () => {
  /** Rules whose circuit opened at time 1000. */
  function opened() {
    const { rules, clock } = rulesAt(0, { maxRestarts: 0 });
    clock.now = 1000;
    rules.exited();
    return { rules, clock };
  }

  /** Open, cooled down (opened at 1000, cooldownMs 500), and the trial call let through. */
  function trialOut() {
    const { rules, clock } = opened();
    clock.now = 1500;
    rules.admit();
    return { rules, clock };
  }

  it('a closed circuit refuses nothing, and no call is a trial', () => {
    const { rules } = rulesAt();
    expect(rules.refusal()).toBeUndefined();
    expect(rules.admit()).toBe(false);
    expect(rules.circuit).toBe('closed');
  });

  it('refuses calls for cooldownMs, then lets one trial through and refuses the rest while it is out', () => {
    const { rules, clock } = opened();
    clock.now = 1499;
    expect(rules.refusal()).toBe('open');
    clock.now = 1500;
    expect(rules.refusal()).toBeUndefined();
    expect(rules.admit()).toBe(true);
    expect(rules.circuit).toBe('half-open');
    expect(rules.refusal()).toBe('half-open');
  });

  it('an answered trial closes the circuit and starts the intensity window over', () => {
    const { rules } = trialOut();
    rules.trialAnswered();
    expect(rules.circuit).toBe('closed');
    expect(rules.refusal()).toBeUndefined();
    expect(rules.exited()).toEqual({ kind: 'open-circuit', exitsInWindow: 1 });
  });

  it('an exit during the trial reopens the circuit for a whole cooldown from then, without counting it as a restart', () => {
    const { rules, clock } = trialOut();
    clock.now = 1600;
    expect(rules.exited()).toEqual({ kind: 'open-circuit', exitsInWindow: 1 });
    expect(rules.circuit).toBe('open');
    clock.now = 2099;
    expect(rules.refusal()).toBe('open');
    clock.now = 2100;
    expect(rules.admit()).toBe(true);
  });

  it('a trial withdrawn before it reached the child decided nothing: the next call is the trial, at once', () => {
    const { rules } = trialOut();
    rules.withdrawTrial();
    expect(rules.circuit).toBe('open');
    expect(rules.refusal()).toBeUndefined();
    expect(rules.admit()).toBe(true);
  });
});
