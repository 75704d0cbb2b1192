/**
 * When a port's child is restarted, and when calls are refused instead: exponential, jittered backoff
 * under an intensity limit (as OTP's: more than `maxRestarts` exits within `withinMs` opens the
 * circuit), a cooldown, then one trial call that closes the circuit or opens it again.
 *
 * Pure: it reads time and randomness only through the functions it is given, starts no timers and
 * knows no processes. The supervisor reports exits and calls; this decides.
 */
import type { RestartPolicy } from './options.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

/** What to do about a child that exited unplanned. */
export type ExitDecision =
  | { kind: 'restart'; delayMs: number; restartsInWindow: number }
  | { kind: 'open-circuit'; exitsInWindow: number };

export class RestartRules {
  private state: CircuitState = 'closed';
  private openedAt = 0;
  /** Times of the unplanned exits in the current intensity window; each but the one that opens the circuit is restarted. */
  private exitTimes: number[] = [];

  constructor(
    private readonly limits: Required<RestartPolicy>,
    private readonly now: () => number = Date.now,
    /** In [0, 1), as Math.random. */
    private readonly random: () => number = Math.random,
  ) {}

  get circuit(): CircuitState {
    return this.state;
  }

  /**
   * Why a call must be refused now, if it must: the circuit is open and within its cooldown, or half-open
   * with its trial call still out.
   */
  refusal(): 'open' | 'half-open' | undefined {
    if (this.state === 'open' && this.now() - this.openedAt < this.limits.cooldownMs) return 'open';
    if (this.state === 'half-open') return 'half-open';
    return undefined;
  }

  /** A call that refusal() let through is made; returns whether it is the trial of a circuit past its cooldown. */
  admit(): boolean {
    if (this.state !== 'open') return false;
    this.state = 'half-open';
    return true;
  }

  /** The trial never reached the child, so it decided nothing: the next call is the trial. */
  withdrawTrial(): void {
    if (this.state === 'half-open') this.state = 'open';
  }

  /** The trial was answered: the circuit closes and the intensity window starts over. */
  trialAnswered(): void {
    this.state = 'closed';
    this.exitTimes = [];
  }

  /** The child exited unplanned (not while closing): restart it after a delay, or open the circuit. */
  exited(): ExitDecision {
    const now = this.now();
    // A failed trial reopens the circuit for another cooldown; it is not counted as a restart.
    if (this.state === 'half-open') return this.open(now);
    this.exitTimes = this.exitTimes.filter((time) => now - time < this.limits.withinMs);
    this.exitTimes.push(now);
    if (this.exitTimes.length > this.limits.maxRestarts) return this.open(now);
    const { initialDelayMs, maxDelayMs } = this.limits;
    const backoff = Math.min(maxDelayMs, initialDelayMs * 2 ** (this.exitTimes.length - 1));
    // Jitter spreads the restarts of many supervisors whose children failed together.
    const delayMs = Math.round(backoff / 2 + (this.random() * backoff) / 2);
    return { kind: 'restart', delayMs, restartsInWindow: this.exitTimes.length };
  }

  private open(now: number): ExitDecision {
    this.state = 'open';
    this.openedAt = now;
    return { kind: 'open-circuit', exitsInWindow: this.exitTimes.length };
  }
}
