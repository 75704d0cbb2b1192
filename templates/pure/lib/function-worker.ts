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
  const result = 'result' in reply ? reply.result : undefined;
  const transfer = result instanceof Uint8Array && result.buffer instanceof ArrayBuffer ? [result.buffer] : [];
  parentPort?.postMessage(reply, transfer);
});
