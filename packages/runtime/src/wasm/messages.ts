import type { InteropErrorCode } from '../errors.js';

/**
 * Smallest buffer a pool or worker moves (transfers) instead of letting postMessage copy it: moving
 * detaches the buffer and makes it anew on the other thread, which for a digest or a small input costs
 * more than the copy (about 10 µs a call on Node 20). A copy only holds the loop when it is large.
 */
export const transferredFromBytes = 64 * 1024;

/** What a pool sends its workers, and what they answer. Structured-clone-able only. */
export interface WorkerInit {
  type: 'init';
  wasmUrl: string;
  operationsUrl: string;
  maxMemoryPages?: number;
}
export interface WorkerCall {
  type: 'call';
  id: number;
  operation: string;
  args: unknown[];
  /** The call's first argument is this many bytes, sent after it in `WorkerInput` slices. */
  inputBytes?: number;
}
/** The next slice of a call's input, in order; its buffer is transferred. */
export interface WorkerInput {
  type: 'input';
  id: number;
  chunk: ArrayBuffer;
}
export type WorkerReply =
  | { id: number; value: unknown }
  | { id: number; error: { code: InteropErrorCode; message: string } };
