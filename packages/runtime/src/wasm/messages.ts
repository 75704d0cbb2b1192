import type { InteropErrorCode } from '../errors.js';

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
