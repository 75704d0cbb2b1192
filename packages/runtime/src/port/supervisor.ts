/**
 * A supervised port: one child process speaking framed requests and replies on stdin/stdout, restarted
 * when it dies, with every call settling exactly once.
 *
 * - Calls are multiplexed by id. Abort and timeout settle the call at once and send the child a cancel;
 *   a child that has not answered the call `cancelGraceMs` later is stuck, and is recycled.
 * - When the child dies, every call in flight rejects with ERR_PORT_CRASHED (exit code or signal, and the
 *   tail of stderr); the child is restarted after an exponential, jittered backoff. More than
 *   `maxRestarts` within `withinMs` opens the circuit: calls fail fast with ERR_PORT_UNAVAILABLE until
 *   `cooldownMs` has passed, then one trial call decides whether it closes again.
 * - A reply header above `maxFrameBytes` fails the calls in flight with ERR_FRAME_TOO_LARGE; a malformed
 *   reply or an unknown id with ERR_PROTOCOL. Either way the child is recycled (killed and restarted).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { withCallOptions, type CallOptions } from '../call-options.js';
import { InteropError, isErrorCode, type ErrorCode } from '../errors.js';
import { isCopiedAtCall } from '../large-input.js';
import { MalformedMessage, decodeReply, encodeCallFrame, encodeRequest, isShortAscii, setCallFrameId } from './codec.js';
import { FrameReader, encodeFrame, maxDeclarableFrameBytes } from './framing.js';

export interface RestartPolicy {
  /** First backoff delay; doubled for each restart in the current window, jittered down to half. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** The intensity limit, as OTP's: more than `maxRestarts` within `withinMs` opens the circuit. */
  maxRestarts?: number;
  withinMs?: number;
  /** How long an open circuit refuses calls before one trial call is let through. */
  cooldownMs?: number;
}

export interface PortOptions {
  /** The executable, spawned directly with `args` (never through a shell). */
  command: string;
  args?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Largest frame payload accepted or sent, in bytes. Default 16 MiB. */
  maxFrameBytes?: number;
  /** Calls sent to the child and not yet answered. Default 256. */
  maxInFlight?: number;
  /** At `maxInFlight`: queue the call (default) or reject it with ERR_BACKPRESSURE. */
  whenFull?: 'wait' | 'reject';
  /**
   * How long the child may take to answer a call after its cancel (abort or timeout). A child that has
   * not answered by then is stuck (e.g. in a blocking library call), holding an in-flight slot for good:
   * it is killed and restarted, and its other calls in flight fail with ERR_PORT_CRASHED. Default 1000.
   */
  cancelGraceMs?: number;
  restart?: RestartPolicy;
  /** How long close() waits for calls in flight, and then for the child to exit after each signal. */
  closeGraceMs?: number;
  /** How much of the child's stderr is kept for crash reports. Default 8 KiB. */
  stderrTailBytes?: number;
}

export interface PortExit {
  pid: number | undefined;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
}

export interface PortEvents {
  spawn: [{ pid: number | undefined }];
  exit: [PortExit];
  restart: [{ delayMs: number; restartsInWindow: number }];
  'circuit-open': [{ exitsInWindow: number; cooldownMs: number }];
  'circuit-close': [];
}

interface Call {
  method: string;
  /** The caller's body (copied at the call up to LIMITS.copiedAtCallBytes): small calls as a whole frame (encodeCallFrame), numbered when sent. */
  request: Buffer;
  /** Whether `request` is that whole frame rather than the body alone. */
  framed: boolean;
  resolve(value: Uint8Array): void;
  reject(error: InteropError): void;
  /** Set when the call is sent to the child. */
  id?: number;
  /** The caller gave up (abort/timeout); the reply, when it comes, is dropped. */
  abandoned: boolean;
  /** The one call let through a half-open circuit. */
  trial: boolean;
  /** Runs out when an abandoned call's cancel has gone unanswered for cancelGraceMs. */
  cancelDeadline?: NodeJS.Timeout;
}

type CircuitState = 'closed' | 'open' | 'half-open';

interface Refable {
  ref(): unknown;
  unref(): unknown;
}

const defaults = {
  maxFrameBytes: 16 * 1024 * 1024,
  maxInFlight: 256,
  closeGraceMs: 2000,
  cancelGraceMs: 1000,
  stderrTailBytes: 8 * 1024,
  initialDelayMs: 10,
  maxDelayMs: 2000,
  maxRestarts: 5,
  withinMs: 10_000,
  cooldownMs: 5000,
};

/** The most one write() to the child's stdin carries: small queued parts are gathered up to it, larger ones sliced. */
const writeBytes = 64 * 1024;

/** How long one turn of the event loop may spend writing to the child before it lets other work run. */
const writeTurnMs = 0.5;

/** Bytes of a call frame before its method name and body: kind, id, method length. */
const callHeadBytes = 6;

/** Calls with bodies up to this size are framed in one buffer (encodeCallFrame). */
const smallCallBytes = 1024;

function positiveInteger(name: string, value: number | undefined, fallback: number, min = 0): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < min) {
    throw new InteropError('ERR_INVALID_ARG', `${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return chosen;
}

/** Resolves true when `settled` does within `ms`, false otherwise; the timer never outlives the race. */
async function within(settled: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([settled.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export class Port extends EventEmitter<PortEvents> {
  private readonly command: string;
  private readonly args: readonly string[];
  private readonly env: NodeJS.ProcessEnv | undefined;
  readonly maxFrameBytes: number;
  private readonly maxInFlight: number;
  private readonly whenFull: 'wait' | 'reject';
  private readonly cancelGraceMs: number;
  private readonly closeGraceMs: number;
  private readonly stderrTailBytes: number;
  private readonly policy: Required<RestartPolicy>;

  private child: ChildProcessWithoutNullStreams | undefined;
  private reader: FrameReader | undefined;
  private stderrTail = Buffer.alloc(0);
  private writeBlocked = false;
  /** Frames of the current burst of calls, and slices of large bodies not yet taken by stdin (see write()). */
  private outgoing: Uint8Array[] = [];
  /** Whether the child and its pipes currently keep Node's event loop alive. */
  private referenced = true;
  /** The child broke the protocol and was killed: nothing more is sent to it; calls wait for the next one. */
  private recycling = false;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Times of the unplanned exits in the current intensity window; each but the one that opens the circuit is restarted. */
  private restartTimes: number[] = [];
  private circuit: CircuitState = 'closed';
  private circuitOpenedAt = 0;
  private nextId = 0;
  private readonly inFlight = new Map<number, Call>();
  private readonly waiting: Call[] = [];
  private closing: Promise<void> | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(options: PortOptions) {
    super();
    if (typeof options?.command !== 'string' || options.command === '') {
      throw new InteropError('ERR_INVALID_ARG', 'command must be the path of the port executable');
    }
    this.command = options.command;
    this.args = [...(options.args ?? [])];
    this.env = options.env;
    this.maxFrameBytes = positiveInteger('maxFrameBytes', options.maxFrameBytes, defaults.maxFrameBytes, 16);
    if (this.maxFrameBytes > maxDeclarableFrameBytes) {
      throw new InteropError('ERR_INVALID_ARG', `maxFrameBytes must be at most ${maxDeclarableFrameBytes} (a u32 header)`);
    }
    this.maxInFlight = positiveInteger('maxInFlight', options.maxInFlight, defaults.maxInFlight, 1);
    if (options.whenFull !== undefined && options.whenFull !== 'wait' && options.whenFull !== 'reject') {
      throw new InteropError('ERR_INVALID_ARG', `whenFull must be 'wait' or 'reject', got ${String(options.whenFull)}`);
    }
    this.whenFull = options.whenFull ?? 'wait';
    this.cancelGraceMs = positiveInteger('cancelGraceMs', options.cancelGraceMs, defaults.cancelGraceMs, 1);
    this.closeGraceMs = positiveInteger('closeGraceMs', options.closeGraceMs, defaults.closeGraceMs);
    this.stderrTailBytes = positiveInteger('stderrTailBytes', options.stderrTailBytes, defaults.stderrTailBytes);
    const restart = options.restart ?? {};
    this.policy = {
      initialDelayMs: positiveInteger('restart.initialDelayMs', restart.initialDelayMs, defaults.initialDelayMs),
      maxDelayMs: positiveInteger('restart.maxDelayMs', restart.maxDelayMs, defaults.maxDelayMs),
      maxRestarts: positiveInteger('restart.maxRestarts', restart.maxRestarts, defaults.maxRestarts),
      withinMs: positiveInteger('restart.withinMs', restart.withinMs, defaults.withinMs, 1),
      cooldownMs: positiveInteger('restart.cooldownMs', restart.cooldownMs, defaults.cooldownMs),
    };
  }

  /** The running child's pid, if one is running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get circuitState(): CircuitState {
    return this.circuit;
  }

  /** Calls sent and not answered (including ones the caller gave up on), and calls queued behind them. */
  get load(): { inFlight: number; waiting: number } {
    return { inFlight: this.inFlight.size, waiting: this.waiting.length };
  }

  /** Sends `body` to `method` in the child and resolves with the reply body. */
  call(method: string, body: Uint8Array, options?: CallOptions): Promise<Uint8Array> {
    const refusal = this.refusal(method, body);
    if (refusal !== undefined) return Promise.reject(refusal);
    // Without options there is nothing to watch: no AbortController, listener or timer per call.
    if (options === undefined) return this.enqueue(method, body);
    return withCallOptions(options, (cancel) => this.enqueue(method, body, cancel));
  }

  private enqueue(method: string, body: Uint8Array, cancel?: AbortSignal): Promise<Uint8Array> {
    if (this.circuit === 'open') {
      // Past the cooldown (refusal() let it through): this call is the trial.
      this.circuit = 'half-open';
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      // Up to LIMITS.copiedAtCallBytes a copy, so the caller may reuse its buffer as soon as call() returns;
      // a larger body is written from the caller's buffer as the pipe takes it (see large-input.ts).
      const framed = body.length <= smallCallBytes;
      const call: Call = {
        method,
        request: framed
          ? encodeCallFrame(0, method, body)
          : isCopiedAtCall(body)
            ? Buffer.from(body)
            : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
        framed,
        resolve,
        reject,
        abandoned: false,
        trial: this.circuit === 'half-open',
      };
      cancel?.addEventListener('abort', () => this.abandon(call), { once: true });
      this.waiting.push(call);
      this.ensureChild();
      this.pump();
    });
  }

  /**
   * Stops intake, waits up to closeGraceMs for calls in flight, closes stdin, then SIGTERM, then SIGKILL.
   * Calls still unanswered reject with ERR_PORT_UNAVAILABLE. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private refusal(method: string, body: Uint8Array): InteropError | undefined {
    if (this.closing !== undefined) return new InteropError('ERR_PORT_UNAVAILABLE', 'the port is closed');
    if (typeof method !== 'string' || !isShortAscii(method) || !(body instanceof Uint8Array)) {
      return new InteropError(
        'ERR_INVALID_ARG',
        'call(method, body) takes a method name (printable ASCII, at most 255 characters) and a Uint8Array body',
      );
    }
    const payloadBytes = callHeadBytes + method.length + body.length;
    if (payloadBytes > this.maxFrameBytes) {
      return new InteropError(
        'ERR_FRAME_TOO_LARGE',
        `a ${method} request of ${payloadBytes} bytes is over the ${this.maxFrameBytes}-byte frame limit`,
      );
    }
    if (this.circuit === 'open' && Date.now() - this.circuitOpenedAt < this.policy.cooldownMs) {
      return new InteropError(
        'ERR_PORT_UNAVAILABLE',
        `the port restarted more than ${this.policy.maxRestarts} times within ${this.policy.withinMs} ms; ` +
          `calls are refused for ${this.policy.cooldownMs} ms (stderr: ${this.stderrText()})`,
      );
    }
    if (this.circuit === 'half-open') {
      return new InteropError('ERR_PORT_UNAVAILABLE', 'the port is restarting after its circuit opened; retry soon');
    }
    if (this.whenFull === 'reject' && this.inFlight.size + this.waiting.length >= this.maxInFlight) {
      return new InteropError(
        'ERR_BACKPRESSURE',
        `${this.maxInFlight} calls are already in flight; retry later or use whenFull: 'wait'`,
      );
    }
    return undefined;
  }

  private abandon(call: Call): void {
    call.abandoned = true;
    const queued = this.waiting.indexOf(call);
    if (queued !== -1) {
      this.waiting.splice(queued, 1);
      // A trial that never reached the child decided nothing: the next call is the trial.
      if (call.trial) this.circuit = 'open';
      this.afterSettle();
      return;
    }
    const id = call.id;
    const child = this.child;
    if (id !== undefined && this.inFlight.get(id) === call && child !== undefined) {
      this.write(encodeFrame(encodeRequest({ kind: 'cancel', id })));
      // A trial the caller gave up on would leave the circuit half-open for good: the child that could not
      // answer it is recycled, and its exit reopens the circuit for another cooldown.
      if (call.trial) {
        child.kill('SIGKILL');
        return;
      }
      call.cancelDeadline = setTimeout(() => {
        if (this.inFlight.get(id) !== call) return;
        this.recycle(
          child,
          'ERR_PORT_CRASHED',
          `the port was recycled: it left a cancelled ${call.method} call unanswered for ${this.cancelGraceMs} ms`,
        );
      }, this.cancelGraceMs);
      // Only calls still awaited keep Node alive (see updateRefs).
      call.cancelDeadline.unref();
    }
  }

  private ensureChild(): void {
    if (this.child === undefined && this.restartTimer === undefined && this.circuit !== 'open') this.spawnChild();
  }

  private spawnChild(): void {
    const child = spawn(this.command, this.args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: this.env,
      shell: false,
      windowsHide: true,
    });
    this.child = child;
    // First, so a spawn that fails (ENOENT, EMFILE) is reported through 'close' like any other exit.
    child.on('error', (error) => {
      if (this.child === child) this.stderrTail = Buffer.concat([this.stderrTail, Buffer.from(`${error.message}\n`)]);
    });
    child.on('close', (exitCode, signal) => this.onExit(child, exitCode, signal));
    this.writeBlocked = false;
    this.recycling = false;
    this.outgoing = [];
    // A new child and its pipes start referenced.
    this.referenced = true;
    this.stderrTail = Buffer.alloc(0);
    this.reader = new FrameReader(this.maxFrameBytes, {
      onFrame: (payload, owned) => this.onReply(child, payload, owned),
      onOversize: (declared) =>
        this.recycle(
          child,
          'ERR_FRAME_TOO_LARGE',
          `the port sent a frame header of ${declared} bytes, over the ${this.maxFrameBytes}-byte limit`,
        ),
    });
    const reader = this.reader;
    // Node leaves the pipes null when the process could not be created (e.g. out of file descriptors).
    if (child.stdout === null || child.stderr === null || child.stdin === null) return;
    child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
    // Always drained, so a chatty child can never block on a full stderr pipe.
    child.stderr.on('data', (chunk: Buffer) => {
      if (this.child !== child) return;
      const kept = Buffer.concat([this.stderrTail, chunk]);
      this.stderrTail = kept.subarray(Math.max(0, kept.length - this.stderrTailBytes));
    });
    // EPIPE and friends after the child died: its exit is reported through 'close' below.
    child.stdin.on('error', () => {});
    // stdin never keeps Node alive; the process and its output pipes do while calls are outstanding (updateRefs).
    (child.stdin as unknown as Refable).unref();
    this.emit('spawn', { pid: child.pid });
    this.updateRefs();
  }

  private pump(): void {
    const child = this.child;
    while (
      child !== undefined &&
      !this.writeBlocked &&
      !this.recycling &&
      this.waiting.length > 0 &&
      this.inFlight.size < this.maxInFlight
    ) {
      const call = this.waiting.shift()!;
      const id = this.allocateId();
      call.id = id;
      this.inFlight.set(id, call);
      this.write(
        call.framed
          ? [setCallFrameId(call.request, id)]
          : encodeFrame(encodeRequest({ kind: 'call', id, method: call.method, body: call.request })),
      );
    }
    this.updateRefs();
  }

  private allocateId(): number {
    do this.nextId = (this.nextId + 1) >>> 0;
    while (this.inFlight.has(this.nextId));
    return this.nextId;
  }

  /**
   * Queues a frame. While calls are in flight, the calls made in one burst (one tick, e.g. every
   * continuation of the replies in one chunk) leave together on the next tick. A part larger than
   * `writeBytes` is queued as views of `writeBytes` each, never copied (see flush()).
   */
  private write(parts: Uint8Array[]): void {
    const burstStarted = this.outgoing.length > 0;
    for (const part of parts) {
      if (part.length <= writeBytes) this.outgoing.push(part);
      else for (let at = 0; at < part.length; at += writeBytes) this.outgoing.push(part.subarray(at, at + writeBytes));
    }
    // A lone call on an idle port goes out at once: waiting for a burst would only add latency.
    if (!burstStarted && this.inFlight.size <= 1) this.flush();
    else if (!burstStarted) process.nextTick(() => this.flush());
  }

  /**
   * Writes what write() queued, in order, at most `writeBytes` per write(): runs of small parts as one
   * buffer — the cheapest path through a Node stream — and a large body a slice at a time. It goes on
   * while stdin takes each write at once, for up to `writeTurnMs`, then lets the event loop run and
   * continues on its next turn (or once stdin has drained). Handed a whole 64 MiB body, the kernel
   * copied in one syscall for as long as the child kept reading: up to 80 ms of the loop's time.
   */
  private flush(): void {
    const child = this.child;
    if (child === undefined || child.stdin.destroyed) {
      this.outgoing = [];
      return;
    }
    const started = performance.now();
    while (!this.writeBlocked && this.outgoing.length > 0) {
      let count = 0;
      let bytes = 0;
      while (count < this.outgoing.length && bytes + this.outgoing[count]!.length <= writeBytes) {
        bytes += this.outgoing[count]!.length;
        count++;
      }
      const parts = this.outgoing.splice(0, Math.max(count, 1));
      child.stdin.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts, bytes));
      const drained = child.stdin.writableLength === 0;
      if (drained && performance.now() - started < writeTurnMs) continue;
      this.writeBlocked = true;
      const resume = () =>
        setImmediate(() => {
          if (this.child !== child) return;
          this.writeBlocked = false;
          this.flush();
          this.pump();
        });
      // 'drain' comes only after a write() that returned false; with less than the stream's mark queued,
      // the next turn may go on writing.
      if (!drained && child.stdin.writableNeedDrain) child.stdin.once('drain', resume);
      else resume();
    }
  }

  private onReply(child: ChildProcessWithoutNullStreams, payload: Buffer, owned: boolean): void {
    if (this.child !== child) return;
    let reply;
    try {
      reply = decodeReply(payload);
    } catch (error) {
      if (!(error instanceof MalformedMessage)) throw error;
      this.recycle(child, 'ERR_PROTOCOL', `the port sent a malformed reply: ${error.message}`);
      return;
    }
    const call = this.inFlight.get(reply.id);
    if (call === undefined) {
      this.recycle(child, 'ERR_PROTOCOL', `the port replied to id ${reply.id}, which is not in flight`);
      return;
    }
    this.inFlight.delete(reply.id);
    clearTimeout(call.cancelDeadline);
    if (call.trial) this.closeCircuit();
    if ('ok' in reply) {
      // A view into a chunk read from the pipe is copied, so the caller does not keep the chunk alive; a
      // payload in a buffer of its own (a large reply, assembled as it arrived) is handed over as it is.
      call.resolve(owned ? reply.ok : new Uint8Array(reply.ok));
    } else if (isErrorCode(reply.error.code)) {
      call.reject(new InteropError(reply.error.code, reply.error.message));
    } else {
      call.reject(new InteropError('ERR_PROTOCOL', `the port replied with unknown code ${reply.error.code}: ${reply.error.message}`));
    }
    this.afterSettle();
    this.pump();
  }

  /** The child broke the protocol: its calls fail with `code`, and it is killed (and so restarted). */
  private recycle(child: ChildProcessWithoutNullStreams, code: ErrorCode, message: string): void {
    if (this.child !== child) return;
    this.recycling = true;
    this.reader?.stop();
    this.rejectInFlight(() => new InteropError(code, message));
    child.kill('SIGKILL');
  }

  private onExit(child: ChildProcessWithoutNullStreams, exitCode: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    // Frames not yet written belong to calls rejected below; they must not reach the next child.
    this.outgoing = [];
    this.reader?.stop();
    this.reader = undefined;
    const stderrTail = this.stderrText();
    const how = signal !== null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    this.rejectInFlight(
      () =>
        new InteropError('ERR_PORT_CRASHED', `the port process ${how} while the call was in flight (stderr: ${stderrTail})`, {
          cause: { exitCode, signal, stderrTail },
        }),
    );
    this.emit('exit', { pid: child.pid, exitCode, signal, stderrTail });
    if (this.closing !== undefined) return;
    if (this.circuit === 'half-open') {
      this.openCircuit();
      return;
    }
    const now = Date.now();
    this.restartTimes = this.restartTimes.filter((time) => now - time < this.policy.withinMs);
    this.restartTimes.push(now);
    if (this.restartTimes.length > this.policy.maxRestarts) {
      this.openCircuit();
      return;
    }
    const backoff = Math.min(this.policy.maxDelayMs, this.policy.initialDelayMs * 2 ** (this.restartTimes.length - 1));
    // Jitter spreads the restarts of many supervisors whose children failed together.
    const delayMs = Math.round(backoff / 2 + (Math.random() * backoff) / 2);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.emit('restart', { delayMs, restartsInWindow: this.restartTimes.length });
      this.spawnChild();
      this.pump();
    }, delayMs);
    if (!this.referenced) this.restartTimer.unref();
  }

  private openCircuit(): void {
    this.circuit = 'open';
    this.circuitOpenedAt = Date.now();
    const error = new InteropError(
      'ERR_PORT_UNAVAILABLE',
      `the port restarted more than ${this.policy.maxRestarts} times within ${this.policy.withinMs} ms (stderr: ${this.stderrText()})`,
    );
    for (const call of this.waiting.splice(0)) call.reject(error);
    this.emit('circuit-open', { exitsInWindow: this.restartTimes.length, cooldownMs: this.policy.cooldownMs });
    this.afterSettle();
  }

  private closeCircuit(): void {
    this.circuit = 'closed';
    this.restartTimes = [];
    this.emit('circuit-close');
  }

  private rejectInFlight(error: () => InteropError): void {
    const calls = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const call of calls) {
      clearTimeout(call.cancelDeadline);
      call.reject(error());
    }
    this.afterSettle();
  }

  private stderrText(): string {
    const text = this.stderrTail.toString('utf8').trim();
    return text === '' ? 'empty' : text;
  }

  /** Whether any call still waits for an answer from the child. */
  private get busy(): boolean {
    return this.waiting.length > 0 || [...this.inFlight.values()].some((call) => !call.abandoned);
  }

  private afterSettle(): void {
    this.updateRefs();
    if (this.idleWaiters.length > 0 && !this.busy) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /**
   * An idle port must not keep Node alive; a busy one must, or a call could be lost: Node would exit with
   * the call unsettled and its handlers never run. While calls are outstanding (waiting, in flight, or
   * awaiting a restart) the process handle, stdout and stderr — all three must report before 'close'
   * settles the calls of a child that died — and a pending restart are referenced; stdin never is.
   */
  private updateRefs(): void {
    const keepAlive = this.waiting.length > 0 || this.inFlight.size > 0;
    if (keepAlive === this.referenced) return;
    this.referenced = keepAlive;
    const child = this.child as unknown as (Refable & { stdout: Refable; stderr: Refable }) | undefined;
    for (const handle of [child, child?.stdout, child?.stderr, this.restartTimer]) {
      if (handle == null) continue;
      if (keepAlive) handle.ref();
      else handle.unref();
    }
  }

  private async shutdown(): Promise<void> {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    if (this.child === undefined) {
      for (const call of this.waiting.splice(0)) {
        call.reject(new InteropError('ERR_PORT_UNAVAILABLE', 'the port was closed before the call was sent'));
      }
    }
    if (this.busy) await within(new Promise<void>((resolve) => this.idleWaiters.push(resolve)), this.closeGraceMs);
    this.idleWaiters = [];
    const unanswered = new InteropError('ERR_PORT_UNAVAILABLE', 'the port was closed before the call finished');
    for (const call of this.waiting.splice(0)) call.reject(unanswered);
    this.rejectInFlight(() => unanswered);
    const child = this.child;
    if (child === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.stdin.end();
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      if (await within(exited, this.closeGraceMs)) return;
      child.kill(signal);
    }
    await exited;
  }
}

/** Creates a supervised port; the child is spawned on the first call. */
export function createPort(options: PortOptions): Port {
  return new Port(options);
}
