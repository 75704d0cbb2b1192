/**
 * The entry of every pool worker (worker_threads in Node, a module Web Worker in browsers). It loads
 * the wasm module and the package's operations module, then runs calls one at a time on its own
 * WasmRunner, so a trap here is recovered here and a hang ends when the pool terminates this worker.
 */
import { toInteropError } from '../errors.js';
import { transferredFromBytes, type WorkerCall, type WorkerInit, type WorkerInput, type WorkerReply } from './messages.js';
import { isNode } from './platform.js';
import { WasmRunner } from './runner.js';
import type { WasmOperations } from './pool.js';

interface Port {
  post(reply: WorkerReply, transfer?: ArrayBuffer[]): void;
  listen(handler: (message: WorkerInit | WorkerCall | WorkerInput) => void): void;
}

async function connect(): Promise<Port> {
  if (isNode) {
    const { parentPort } = await import('node:worker_threads');
    if (parentPort === null) throw new Error('worker.js runs only as a worker');
    return {
      post: (reply, transfer) => parentPort.postMessage(reply, transfer),
      listen: (handler) => parentPort.on('message', handler),
    };
  }
  const scope = globalThis as unknown as {
    postMessage(reply: WorkerReply, transfer?: ArrayBuffer[]): void;
    addEventListener(type: 'message', listener: (event: { data: WorkerInit | WorkerCall | WorkerInput }) => void): void;
  };
  return {
    post: (reply, transfer) => scope.postMessage(reply, transfer),
    listen: (handler) => scope.addEventListener('message', (event) => handler(event.data)),
  };
}

async function start(init: WorkerInit): Promise<{ runner: WasmRunner; operations: WasmOperations }> {
  const [runner, imported] = await Promise.all([
    WasmRunner.load(new URL(init.wasmUrl), { ...(init.maxMemoryPages !== undefined && { maxMemoryPages: init.maxMemoryPages }) }),
    import(init.operationsUrl) as Promise<{ operations: WasmOperations }>,
  ]);
  return { runner, operations: imported.operations };
}

const port = await connect();
let ready: ReturnType<typeof start> | undefined;
/** Calls whose input is still arriving in slices, by id. */
const receiving = new Map<number, { call: WorkerCall; input: Uint8Array; filled: number }>();

port.listen((message) => {
  if (message.type === 'init') {
    ready = start(message);
    // A failed start is reported to each call instead.
    ready.catch(() => {});
  } else if (message.type === 'input') {
    const pending = receiving.get(message.id);
    if (pending === undefined) return;
    pending.input.set(new Uint8Array(message.chunk), pending.filled);
    pending.filled += message.chunk.byteLength;
    if (pending.filled < pending.input.byteLength) return;
    receiving.delete(message.id);
    void answer(pending.call, [pending.input, ...pending.call.args]);
  } else if (message.inputBytes !== undefined && message.inputBytes > 0) {
    receiving.set(message.id, { call: message, input: new Uint8Array(message.inputBytes), filled: 0 });
  } else {
    void answer(message, message.inputBytes === undefined ? message.args : [new Uint8Array(0), ...message.args]);
  }
});

/**
 * A large result's buffer moves to the caller's thread when the result is all of it (session.output
 * copies into such a buffer): cloning it there would copy it on the event loop in one step.
 */
function transferable(value: unknown): ArrayBuffer[] {
  if (!(value instanceof Uint8Array) || !(value.buffer instanceof ArrayBuffer) || value.byteLength < transferredFromBytes) return [];
  return value.byteOffset === 0 && value.byteLength === value.buffer.byteLength ? [value.buffer] : [];
}

async function answer(call: WorkerCall, args: unknown[]): Promise<void> {
  try {
    if (ready === undefined) throw new Error('the worker got a call before its init message');
    const { runner, operations } = await ready;
    const operation = operations[call.operation];
    if (operation === undefined) throw new Error(`the operations module has no operation ${call.operation}`);
    const value = operation(runner, ...(args as never[]));
    port.post({ id: call.id, value }, transferable(value));
  } catch (error) {
    const { code, message } = toInteropError(error);
    port.post({ id: call.id, error: { code, message } });
    // After a trap, the fresh instance is made while the answer travels, not when the next call comes
    // (a no-op when the instance lives on); should that fail, the next call makes it and hears why.
    ready?.then(({ runner }) => runner.prepare()).catch(() => {});
  }
}
