/**
 * A worker thread of lib/function-workers.ts: runs a reference function (lib/reference/) by name and
 * answers with its result, moving a byte result's memory to the caller instead of copying it.
 */
import { parentPort } from 'node:worker_threads';
import * as reference from './reference/index.js';
import type { FunctionReply } from './function-workers.js';

const functions = reference as unknown as Record<string, (...args: unknown[]) => unknown>;

parentPort?.on('message', ({ name, args }: { name: string; args: unknown[] }) => {
  let reply: FunctionReply;
  try {
    reply = { result: functions[name]!(...args) };
  } catch (error) {
    reply = { error: String(error) };
  }
  let result = 'result' in reply ? reply.result : undefined;
  // A result over shared memory (an input handed back, or a view of one) is copied: lib/function-workers.ts
  // reuses that memory for this worker's next call.
  if (result instanceof Uint8Array && !(result.buffer instanceof ArrayBuffer)) reply = { result: (result = result.slice()) };
  const transfer = result instanceof Uint8Array && result.buffer instanceof ArrayBuffer ? [result.buffer] : [];
  parentPort?.postMessage(reply, transfer);
});
