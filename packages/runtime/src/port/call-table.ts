/**
 * A port's calls: queued until a slot is free, then in flight under an id until answered. Each call
 * leaves the table exactly once, and is settled as it leaves — by its reply, or by a rejection of
 * the calls in flight or waiting — so none settles twice and none is forgotten.
 */
import type { InteropError } from '../errors.js';

export interface Call {
  resolve(value: Uint8Array): void;
  reject(error: InteropError): void;
  /** The one call let through a half-open circuit: its answer closes the circuit. */
  readonly trial: boolean;
  /** Set by the table when the call is sent. */
  id?: number;
  /** The caller gave up (abort/timeout): the call is no longer awaited, and its reply is dropped. */
  abandoned: boolean;
  /** Runs out when an abandoned call's cancel has gone unanswered for the grace period. */
  cancelDeadline?: NodeJS.Timeout;
}

/**
 * The id after `previous` that `inUse` does not claim, wrapping at 2³²: ids stay u32 however long the
 * port runs. The loop ends because far fewer than 2³² ids are ever in use (at most maxInFlight).
 */
export function nextCallId(previous: number, inUse: (id: number) => boolean): number {
  let id = previous;
  do id = (id + 1) >>> 0;
  while (inUse(id));
  return id;
}

export class CallTable<C extends Call> {
  private lastId = 0;
  private readonly inFlightById = new Map<number, C>();
  private readonly queue: C[] = [];
  private idleWaiters: Array<() => void> = [];
  private readonly isInFlight = (id: number) => this.inFlightById.has(id);

  constructor(
    private readonly maxInFlight: number,
    private readonly cancelGraceMs: number,
  ) {}

  /** Calls sent and not answered, including ones the caller gave up on. */
  get inFlight(): number {
    return this.inFlightById.size;
  }

  /** Calls queued behind them. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Whether a call is waiting or in flight: the port must stay up for it (see keep-alive.ts). */
  get outstanding(): boolean {
    return this.queue.length > 0 || this.inFlightById.size > 0;
  }

  /** Whether any call is still awaited by its caller. */
  get busy(): boolean {
    if (this.queue.length > 0) return true;
    for (const call of this.inFlightById.values()) if (!call.abandoned) return true;
    return false;
  }

  /** Whether a new call would have to wait for a slot. */
  get full(): boolean {
    return this.inFlightById.size + this.queue.length >= this.maxInFlight;
  }

  add(call: C): void {
    this.queue.push(call);
  }

  /** The next waiting call, now in flight under a fresh id; undefined when none waits or every slot is taken. */
  send(): C | undefined {
    if (this.queue.length === 0 || this.inFlightById.size >= this.maxInFlight) return undefined;
    const call = this.queue.shift()!;
    const id = nextCallId(this.lastId, this.isInFlight);
    this.lastId = id;
    call.id = id;
    this.inFlightById.set(id, call);
    return call;
  }

  /** Settles the call in flight under `id` with its reply body; undefined when no call is in flight under it. */
  resolve(id: number, value: Uint8Array): C | undefined {
    const call = this.remove(id);
    call?.resolve(value);
    this.wakeIfIdle();
    return call;
  }

  /** Settles the call in flight under `id` with an error reply; undefined when no call is in flight under it. */
  reject(id: number, error: InteropError): C | undefined {
    const call = this.remove(id);
    call?.reject(error);
    this.wakeIfIdle();
    return call;
  }

  /** Rejects every call in flight, each with an error of its own. */
  rejectInFlight(error: () => InteropError): void {
    const calls = [...this.inFlightById.values()];
    this.inFlightById.clear();
    for (const call of calls) {
      clearTimeout(call.cancelDeadline);
      call.reject(error());
    }
    this.wakeIfIdle();
  }

  /** Rejects every call not yet sent. */
  rejectWaiting(error: InteropError): void {
    for (const call of this.queue.splice(0)) call.reject(error);
    this.wakeIfIdle();
  }

  /**
   * The caller gave up on `call`. A waiting call is withdrawn — it was never sent, and it is never
   * settled: its caller has already moved on. A call in flight stays until answered, for its slot is
   * taken until the child says so; undefined when the call has already left the table.
   */
  abandon(call: C): 'withdrawn' | 'in-flight' | undefined {
    call.abandoned = true;
    const queued = this.queue.indexOf(call);
    if (queued !== -1) {
      this.queue.splice(queued, 1);
      this.wakeIfIdle();
      return 'withdrawn';
    }
    if (call.id === undefined || this.inFlightById.get(call.id) !== call) return undefined;
    this.wakeIfIdle();
    return 'in-flight';
  }

  /** `onStuck` runs if the abandoned `call` is still in flight cancelGraceMs from now (its cancel was sent). */
  startCancelGrace(call: C, onStuck: () => void): void {
    call.cancelDeadline = setTimeout(onStuck, this.cancelGraceMs);
    // A call its caller gave up on must not keep Node alive by itself.
    call.cancelDeadline.unref();
  }

  /** Resolves once no call is awaited (see busy). */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private remove(id: number): C | undefined {
    const call = this.inFlightById.get(id);
    if (call === undefined) return undefined;
    this.inFlightById.delete(id);
    clearTimeout(call.cancelDeadline);
    return call;
  }

  private wakeIfIdle(): void {
    if (this.idleWaiters.length > 0 && !this.busy) for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
