/**
 * The entry of every pool worker (worker_threads in Node, a module Web Worker in browsers). It loads
 * the wasm module and the package's operations module, then runs calls one at a time on its own
 * WasmRunner, so a trap here is recovered here and a hang ends when the pool terminates this worker.
 */
import { toInteropError } from '../errors.js';
import type { WorkerCall, WorkerInit, WorkerReply } from './messages.js';
import { isNode } from './platform.js';
import { WasmRunner } from './runner.js';
import type { WasmOperations } from './pool.js';

interface Port {
  post(reply: WorkerReply): void;
  listen(handler: (message: WorkerInit | WorkerCall) => void): void;
}

async function connect(): Promise<Port> {
  if (isNode) {
    const { parentPort } = await import('node:worker_threads');
    if (parentPort === null) throw new Error('worker.js runs only as a worker');
    return { post: (reply) => parentPort.postMessage(reply), listen: (handler) => parentPort.on('message', handler) };
  }
  const scope = globalThis as unknown as {
    postMessage(reply: WorkerReply): void;
    addEventListener(type: 'message', listener: (event: { data: WorkerInit | WorkerCall }) => void): void;
  };
  return {
    post: (reply) => scope.postMessage(reply),
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
port.listen((message) => {
  if (message.type === 'init') {
    ready = start(message);
    // A failed start is reported to each call instead.
    ready.catch(() => {});
    return;
  }
  void answer(message);
});

async function answer(call: WorkerCall): Promise<void> {
  try {
    if (ready === undefined) throw new Error('the worker got a call before its init message');
    const { runner, operations } = await ready;
    const operation = operations[call.operation];
    if (operation === undefined) throw new Error(`the operations module has no operation ${call.operation}`);
    port.post({ id: call.id, value: operation(runner, ...(call.args as never[])) });
  } catch (error) {
    const { code, message } = toInteropError(error);
    port.post({ id: call.id, error: { code, message } });
  }
}
