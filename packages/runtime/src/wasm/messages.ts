import type { ErrorCode } from '../errors.js';

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
}
export type WorkerReply =
  | { id: number; value: unknown }
  | { id: number; error: { code: ErrorCode; message: string } };
