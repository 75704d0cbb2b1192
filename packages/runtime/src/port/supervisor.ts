/**
 * A supervised port: one child process speaking framed requests and replies on stdin/stdout, restarted
 * when it dies, with every call settling exactly once. This module wires the child's events to the
 * modules that decide: restart-policy.ts (restarts and the circuit), call-table.ts (calls and their ids),
 * outbox.ts (writes to stdin), keep-alive.ts (what keeps Node alive).
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
import { LIMITS } from '../contract-args.js';
import { isCopiedAtCall } from '../large-input.js';
import { CallTable, type Call } from './call-table.js';
import { MalformedMessage, decodeReply, encodeCallFrame, encodeRequest, isShortAscii, setCallFrameId } from './codec.js';
import { FrameReader, encodeFrame } from './framing.js';
import { KeepAlive, type Refable } from './keep-alive.js';
import { resolvePortOptions, type PortOptions, type ResolvedPortOptions } from './options.js';
import { Outbox } from './outbox.js';
import { RestartRules, type CircuitState } from './restart-policy.js';

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

interface PortCall extends Call {
  method: string;
  /** The caller's body (copied at the call up to LIMITS.copiedAtCallBytes): small calls as a whole frame (encodeCallFrame), numbered when sent. */
  request: Buffer;
  /** Whether `request` is that whole frame rather than the body alone. */
  framed: boolean;
  /** Whether `request` is the caller's own buffer (a body over LIMITS.copiedAtCallBytes), lent until the call settles. */
  lent: boolean;
}

/** Bytes of a call frame before its method name and body: kind, id, method length. */
const callHeadBytes = 6;

/** Calls with bodies up to this size are framed in one buffer (encodeCallFrame). */
const smallCallBytes = 1024;

/** The frame that sends `call`, numbered by the call table. */
function callFrame(call: PortCall): Uint8Array[] {
  const id = call.id!;
  return call.framed
    ? [setCallFrameId(call.request, id)]
    : encodeFrame(encodeRequest({ kind: 'call', id, method: call.method, body: call.request }));
}

/** stdout and stderr as the handles they are (net sockets); typed as plain streams. */
function outputPipes(child: ChildProcessWithoutNullStreams): Refable[] {
  return [child.stdout, child.stderr] as unknown as Refable[];
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

/** Children started by every Port of this process, so each has a number no other child had. */
let childrenStarted = 0;

export class Port extends EventEmitter<PortEvents> {
  readonly maxFrameBytes: number;
  private readonly options: ResolvedPortOptions;
  private readonly restarts: RestartRules;
  private readonly calls: CallTable<PortCall>;
  private readonly keepAlive = new KeepAlive();

  private child: ChildProcessWithoutNullStreams | undefined;
  private runningChildNumber: number | undefined;
  private reader: FrameReader | undefined;
  private outbox: Outbox | undefined;
  private stderrTail = Buffer.alloc(0);
  /** The child broke the protocol and was killed: nothing more is sent to it; calls wait for the next one. */
  private recycling = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: PortOptions) {
    super();
    this.options = resolvePortOptions(options);
    this.maxFrameBytes = this.options.maxFrameBytes;
    this.restarts = new RestartRules(this.options.restart);
    this.calls = new CallTable(this.options.maxInFlight, this.options.cancelGraceMs);
  }

  /** The running child's pid, if one is running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * A number for the running child, which no other child of this process had (a pid may be reused); undefined
   * while none runs. State a child kept is gone once this differs from what it was when the state was made.
   */
  get childNumber(): number | undefined {
    return this.runningChildNumber;
  }

  get circuitState(): CircuitState {
    return this.restarts.circuit;
  }

  /** Calls sent and not answered (including ones the caller gave up on), and calls queued behind them. */
  get load(): { inFlight: number; waiting: number } {
    return { inFlight: this.calls.inFlight, waiting: this.calls.waiting };
  }

  /** Sends `body` to `method` in the child and resolves with the reply body. */
  call(method: string, body: Uint8Array, options?: CallOptions): Promise<Uint8Array> {
    const refusal = this.refusal(method, body);
    if (refusal !== undefined) return Promise.reject(refusal);
    // Without options there is nothing to watch: no AbortController, listener or timer per call.
    if (options === undefined) return this.enqueue(method, body);
    return withCallOptions(options, (cancel) => this.enqueue(method, body, cancel));
  }

  /**
   * Stops intake, waits up to closeGraceMs for the calls in flight still awaited, closes stdin, then
   * SIGTERM, then SIGKILL. Calls still unanswered reject with ERR_PORT_UNAVAILABLE. Idempotent.
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
    const circuit = this.restarts.refusal();
    if (circuit === 'open') {
      const { maxRestarts, withinMs, cooldownMs } = this.options.restart;
      return new InteropError(
        'ERR_PORT_UNAVAILABLE',
        `the port restarted more than ${maxRestarts} times within ${withinMs} ms; ` +
          `calls are refused for ${cooldownMs} ms (stderr: ${this.stderrText()})`,
      );
    }
    if (circuit === 'half-open') {
      return new InteropError('ERR_PORT_UNAVAILABLE', 'the port is restarting after its circuit opened; retry soon');
    }
    if (this.options.whenFull === 'reject' && this.calls.full) {
      return new InteropError(
        'ERR_BACKPRESSURE',
        `${this.options.maxInFlight} calls are already in flight; retry later or use whenFull: 'wait'`,
      );
    }
    return undefined;
  }

  private enqueue(method: string, body: Uint8Array, cancel?: AbortSignal): Promise<Uint8Array> {
    // Past the cooldown (refusal() let it through), this call is the trial.
    const trial = this.restarts.admit();
    return new Promise<Uint8Array>((resolve, reject) => {
      // Up to LIMITS.copiedAtCallBytes a copy, so the caller may reuse its buffer as soon as call() returns;
      // a larger body is written from the caller's buffer as the pipe takes it (see large-input.ts).
      const framed = body.length <= smallCallBytes;
      const lent = !isCopiedAtCall(body);
      const call: PortCall = {
        method,
        request: framed
          ? encodeCallFrame(0, method, body)
          : lent
            ? Buffer.from(body.buffer, body.byteOffset, body.byteLength)
            : Buffer.from(body),
        framed,
        lent,
        resolve,
        reject,
        abandoned: false,
        trial,
      };
      cancel?.addEventListener('abort', () => this.abandon(call), { once: true });
      this.calls.add(call);
      if (this.child === undefined && this.restartTimer === undefined) this.spawnChild();
      this.pump();
    });
  }

  private abandon(call: PortCall): void {
    const where = this.calls.abandon(call);
    if (where === 'withdrawn') {
      // A trial that never reached the child decided nothing: the next call is the trial.
      if (call.trial) this.restarts.withdrawTrial();
      this.keepAlive.update(this.calls.outstanding);
      return;
    }
    const child = this.child;
    if (where !== 'in-flight' || child === undefined || this.outbox === undefined) return;
    // The call has settled, so its caller may reuse or transfer a lent body now: what is not yet written is copied.
    if (call.lent) this.outbox.ownPending(call.request.buffer);
    this.outbox.write(encodeFrame(encodeRequest({ kind: 'cancel', id: call.id! })), this.calls.inFlight <= 1);
    // A trial the caller gave up on would leave the circuit half-open for good: the child that could not
    // answer it is recycled, and its exit reopens the circuit for another cooldown.
    if (call.trial) {
      child.kill('SIGKILL');
      return;
    }
    this.calls.startCancelGrace(call, () =>
      this.recycle(
        child,
        'ERR_PORT_CRASHED',
        `the port was recycled: it left a cancelled ${call.method} call unanswered for ${this.options.cancelGraceMs} ms`,
      ),
    );
  }

  private spawnChild(): void {
    const { command, args, env, maxFrameBytes } = this.options;
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env, shell: false, windowsHide: true });
    this.child = child;
    this.runningChildNumber = ++childrenStarted;
    // First, so a spawn that fails (ENOENT, EMFILE) is reported through 'close' like any other exit.
    child.on('error', (error) => {
      if (this.child === child) this.stderrTail = Buffer.concat([this.stderrTail, Buffer.from(`${error.message}\n`)]);
    });
    child.on('close', (exitCode, signal) => this.onExit(child, exitCode, signal));
    this.keepAlive.update(this.calls.outstanding);
    this.keepAlive.hold(child);
    this.recycling = false;
    this.stderrTail = Buffer.alloc(0);
    this.reader = new FrameReader(maxFrameBytes, {
      onFrame: (payload, owned) => this.onReply(child, payload, owned),
      onOversize: (declared) =>
        this.recycle(
          child,
          'ERR_FRAME_TOO_LARGE',
          `the port sent a frame header of ${declared} bytes, over the ${maxFrameBytes}-byte limit`,
        ),
    });
    const reader = this.reader;
    // Node leaves the pipes null when the process could not be created (e.g. out of file descriptors).
    if (child.stdout === null || child.stderr === null || child.stdin === null) return;
    this.outbox = new Outbox(
      child.stdin,
      () => this.pump(),
      () =>
        this.recycle(
          child,
          'ERR_INVALID_ARG',
          `a call body over ${LIMITS.copiedAtCallBytes} bytes was detached (transferred) before its call settled, so its frame could not be ` +
            'completed; the port was restarted. Keep such a body unchanged until the call settles',
        ),
    );
    child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
    // Always drained, so a chatty child can never block on a full stderr pipe.
    child.stderr.on('data', (chunk: Buffer) => {
      if (this.child !== child) return;
      const kept = Buffer.concat([this.stderrTail, chunk]);
      this.stderrTail = kept.subarray(Math.max(0, kept.length - this.options.stderrTailBytes));
    });
    // EPIPE and friends after the child died: its exit is reported through 'close'.
    child.stdin.on('error', () => {});
    // stdin never keeps Node alive; the process and its output pipes do while calls are outstanding.
    (child.stdin as unknown as Refable).unref();
    this.keepAlive.hold(...outputPipes(child));
    this.emit('spawn', { pid: child.pid });
  }

  /** Sends waiting calls while the child takes them and slots are free. */
  private pump(): void {
    const outbox = this.outbox;
    while (outbox !== undefined && !outbox.blocked && !this.recycling) {
      const call = this.calls.send();
      if (call === undefined) break;
      outbox.write(callFrame(call), this.calls.inFlight <= 1);
    }
    this.keepAlive.update(this.calls.outstanding);
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
    const call =
      'ok' in reply
        ? // A view into a chunk read from the pipe is copied, so the caller does not keep the chunk alive; a
          // payload in a buffer of its own (a large reply, assembled as it arrived) is handed over as it is.
          this.calls.resolve(reply.id, owned ? reply.ok : new Uint8Array(reply.ok))
        : this.calls.reject(
            reply.id,
            isErrorCode(reply.error.code)
              ? new InteropError(reply.error.code, reply.error.message)
              : new InteropError('ERR_PROTOCOL', `the port replied with unknown code ${reply.error.code}: ${reply.error.message}`),
          );
    if (call === undefined) {
      this.recycle(child, 'ERR_PROTOCOL', `the port replied to id ${reply.id}, which is not in flight`);
      return;
    }
    if (call.trial) {
      this.restarts.trialAnswered();
      this.emit('circuit-close');
    }
    this.pump();
  }

  /** The child broke the protocol: its calls fail with `code`, and it is killed (and so restarted). */
  private recycle(child: ChildProcessWithoutNullStreams, code: ErrorCode, message: string): void {
    if (this.child !== child) return;
    this.recycling = true;
    this.reader?.stop();
    this.calls.rejectInFlight(() => new InteropError(code, message));
    this.keepAlive.update(this.calls.outstanding);
    child.kill('SIGKILL');
  }

  private onExit(child: ChildProcessWithoutNullStreams, exitCode: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.runningChildNumber = undefined;
    // Frames not yet written belong to calls rejected below; they must not reach the next child.
    this.outbox?.discard();
    this.outbox = undefined;
    this.reader?.stop();
    this.reader = undefined;
    this.keepAlive.release(child, ...outputPipes(child));
    const stderrTail = this.stderrText();
    const how = signal !== null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    this.calls.rejectInFlight(
      () =>
        new InteropError('ERR_PORT_CRASHED', `the port process ${how} while the call was in flight (stderr: ${stderrTail})`, {
          cause: { exitCode, signal, stderrTail },
        }),
    );
    this.keepAlive.update(this.calls.outstanding);
    this.emit('exit', { pid: child.pid, exitCode, signal, stderrTail });
    if (this.closing !== undefined) return;
    const decision = this.restarts.exited();
    if (decision.kind === 'open-circuit') {
      this.openCircuit(decision.exitsInWindow);
      return;
    }
    const { delayMs, restartsInWindow } = decision;
    const timer = setTimeout(() => {
      this.restartTimer = undefined;
      this.keepAlive.release(timer);
      this.emit('restart', { delayMs, restartsInWindow });
      this.spawnChild();
      this.pump();
    }, delayMs);
    this.restartTimer = timer;
    this.keepAlive.hold(timer);
  }

  private openCircuit(exitsInWindow: number): void {
    const { maxRestarts, withinMs, cooldownMs } = this.options.restart;
    this.calls.rejectWaiting(
      new InteropError(
        'ERR_PORT_UNAVAILABLE',
        `the port restarted more than ${maxRestarts} times within ${withinMs} ms (stderr: ${this.stderrText()})`,
      ),
    );
    this.emit('circuit-open', { exitsInWindow, cooldownMs });
    this.keepAlive.update(this.calls.outstanding);
  }

  private stderrText(): string {
    const text = this.stderrTail.toString('utf8').trim();
    return text === '' ? 'empty' : text;
  }

  private async shutdown(): Promise<void> {
    if (this.restartTimer !== undefined) {
      clearTimeout(this.restartTimer);
      this.keepAlive.release(this.restartTimer);
      this.restartTimer = undefined;
    }
    if (this.child === undefined) {
      this.calls.rejectWaiting(new InteropError('ERR_PORT_UNAVAILABLE', 'the port was closed before the call was sent'));
    }
    if (this.calls.busy) await within(this.calls.idle(), this.options.closeGraceMs);
    const unanswered = new InteropError('ERR_PORT_UNAVAILABLE', 'the port was closed before the call finished');
    this.calls.rejectWaiting(unanswered);
    this.calls.rejectInFlight(() => unanswered);
    this.keepAlive.update(this.calls.outstanding);
    const child = this.child;
    if (child === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    // Whoever awaits close() is owed its settling: the child and its pipes keep Node alive until it has exited.
    this.keepAlive.update(true);
    child.stdin.end();
    try {
      for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
        if (await within(exited, this.options.closeGraceMs)) return;
        child.kill(signal);
      }
      await exited;
    } finally {
      this.keepAlive.update(false);
    }
  }
}

/** Creates a supervised port; the child is spawned on the first call. */
export function createPort(options: PortOptions): Port {
  return new Port(options);
}
