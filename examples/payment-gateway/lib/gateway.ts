/**
 * The Gateway: payments through the legacy C SDK, which runs in a supervised child process (the port)
 * so that its crashes and hangs cost a process, not this one.
 *
 * Every request carries an idempotency key, and the port keeps a journal by key (src/payments.rs): a
 * request whose key has been answered gets that answer again, whatever happened in between. That is
 * what makes a retry safe, so a call the port's death cut off (ERR_PORT_CRASHED) is sent again with
 * the same key, up to `crashRetries` times.
 */
import { EventEmitter } from 'node:events';
import { checkCallOptions, InteropError, isInteropError, type CallOptions } from '@interop-module/runtime';
import type { Port, PortExit, RestartPolicy } from '@interop-module/runtime/port';
import {
  checkAmount,
  checkAuthorizationId,
  checkCard,
  checkCount,
  checkCurrency,
  checkIdempotencyKey,
  checkPath,
  checkRequest,
  isTransactionId,
} from './checks.js';
import { toGatewayError } from './errors.js';
import { openPort } from './port.js';

export interface GatewayOptions {
  /** The port's journal: created if missing, and the one place where answers survive a crash. */
  journalPath: string;
  /** Where the sandbox processor keeps its ledger of the money it moved (a real processor keeps its own). */
  sandboxLedgerPath: string;
  /** Milliseconds a call may take, its retries included, unless the call says otherwise. Default 10,000. */
  timeoutMs?: number;
  /** How many times a call cut off by the port's death is sent again. Default 2. */
  crashRetries?: number;
  /** The supervisor's restart backoff and circuit breaker (see @interop-module/runtime/port). */
  restart?: RestartPolicy;
}

export interface AuthorizeRequest {
  /** Positive integer, in minor units: 1999 is 19.99 EUR. */
  amount: number;
  /** ISO 4217, in capitals. */
  currency: string;
  /** 12 to 19 digits, Luhn-valid. */
  card: string;
  /** Names this request: the same key always gets the same answer. */
  idempotencyKey: string;
}

/** A capture or a refund: an amount drawn on an approved authorization. */
export interface FollowUpRequest {
  /** The transactionId an approved authorize returned. */
  authorizationId: string;
  amount: number;
  currency: string;
  idempotencyKey: string;
}

/** The gateway's answer. `replayed`: it was given to an earlier request with the same key. */
export type PaymentResult =
  | { status: 'approved'; transactionId: string; replayed: boolean }
  | { status: 'declined'; replayed: boolean };

export type Operation = 'authorize' | 'capture' | 'refund';

export interface RetryEvent {
  operation: Operation;
  idempotencyKey: string;
  /** 1 for the first retry. */
  attempt: number;
  /** The ERR_PORT_CRASHED that cut the previous attempt off. */
  error: InteropError;
}

export interface GatewayEvents {
  /** A port process started. */
  spawn: [{ pid: number | undefined }];
  /** A port process ended: crashed, recycled, or closed. */
  exit: [PortExit];
  retry: [RetryEvent];
}

type RequestBody = Record<string, string | number> & { idempotencyKey: string };

const defaultTimeoutMs = 10_000;
const defaultCrashRetries = 2;

export class Gateway extends EventEmitter<GatewayEvents> {
  readonly #port: Port;
  readonly #timeoutMs: number;
  readonly #crashRetries: number;

  constructor(options: GatewayOptions) {
    super();
    const checked = checkRequest(options, 'new Gateway');
    this.#timeoutMs = checkCount('timeoutMs', checked.timeoutMs, defaultTimeoutMs, 1, 2 ** 31 - 1);
    this.#crashRetries = checkCount('crashRetries', checked.crashRetries, defaultCrashRetries, 0, 10);
    this.#port = openPort(
      checkPath('journalPath', checked.journalPath),
      checkPath('sandboxLedgerPath', checked.sandboxLedgerPath),
      checked.restart as RestartPolicy | undefined,
    );
    this.#port.on('spawn', (event) => this.emit('spawn', event));
    this.#port.on('exit', (event) => this.emit('exit', event));
  }

  /** The running port process, if one is running. */
  get pid(): number | undefined {
    return this.#port.pid;
  }

  async authorize(request: AuthorizeRequest, options?: CallOptions): Promise<PaymentResult> {
    const checked = checkRequest(request, 'authorize');
    return this.#send(
      'authorize',
      {
        idempotencyKey: checkIdempotencyKey(checked.idempotencyKey),
        card: checkCard(checked.card),
        amount: checkAmount(checked.amount),
        currency: checkCurrency(checked.currency),
      },
      options,
    );
  }

  /** Captures up to what is left of an authorization, in its currency. */
  async capture(request: FollowUpRequest, options?: CallOptions): Promise<PaymentResult> {
    return this.#send('capture', followUpBody(request, 'capture'), options);
  }

  /** Refunds up to what has been captured and not yet refunded on an authorization. */
  async refund(request: FollowUpRequest, options?: CallOptions): Promise<PaymentResult> {
    return this.#send('refund', followUpBody(request, 'refund'), options);
  }

  /** Lets calls in flight finish (up to a grace period), then ends the port. Idempotent. */
  close(): Promise<void> {
    return this.#port.close();
  }

  async #send(operation: Operation, body: RequestBody, options: CallOptions | undefined): Promise<PaymentResult> {
    const { signal, timeoutMs = this.#timeoutMs } = checkCallOptions(options);
    const encoded = Buffer.from(JSON.stringify(body));
    // One deadline for the call, its retries included.
    const deadline = performance.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      let reply: Uint8Array;
      try {
        reply = await this.#port.call(operation, encoded, { signal, timeoutMs: Math.max(0, deadline - performance.now()) });
      } catch (error) {
        if (isInteropError(error, 'ERR_TIMEOUT')) {
          throw new InteropError(
            'ERR_TIMEOUT',
            `${operation} ${body.idempotencyKey} did not finish within ${timeoutMs} ms; ` +
              'retry with the same idempotencyKey to learn its outcome',
            { cause: error },
          );
        }
        if (!isInteropError(error, 'ERR_PORT_CRASHED') || attempt === this.#crashRetries) throw toGatewayError(error);
        this.emit('retry', { operation, idempotencyKey: body.idempotencyKey, attempt: attempt + 1, error });
        continue;
      }
      return decodeReply(operation, reply);
    }
  }
}

function followUpBody(request: FollowUpRequest, operation: Operation): RequestBody {
  const checked = checkRequest(request, operation);
  return {
    idempotencyKey: checkIdempotencyKey(checked.idempotencyKey),
    authorizationId: checkAuthorizationId(checked.authorizationId),
    amount: checkAmount(checked.amount),
    currency: checkCurrency(checked.currency),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The port's JSON answer (src/payments.rs, `Settled`). */
function decodeReply(operation: Operation, bytes: Uint8Array): PaymentResult {
  let reply: unknown;
  try {
    reply = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    reply = undefined;
  }
  if (isObject(reply) && typeof reply.replayed === 'boolean') {
    const { outcome, replayed } = reply;
    if (isObject(outcome) && outcome.status === 'approved' && isTransactionId(outcome.transactionId)) {
      return { status: 'approved', transactionId: outcome.transactionId, replayed };
    }
    if (isObject(outcome) && outcome.status === 'declined') return { status: 'declined', replayed };
  }
  throw new InteropError('ERR_PROTOCOL', `the port's reply to ${operation} is not a payment result`);
}
