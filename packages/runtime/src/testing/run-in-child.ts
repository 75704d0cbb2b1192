import { spawn } from 'node:child_process';

export interface RunInChildOptions {
  /** Absolute path of an ES module that plain node can import (a built file, not TypeScript). */
  modulePath: string;
  exportName: string;
  /** JSON-serialisable arguments for the export. */
  args?: unknown[];
  /** Node flags for the child, e.g. ['--expose-gc']. */
  execArgv?: string[];
  /** The child is SIGKILLed after this long; default 60 s. */
  timeoutMs?: number;
}

export interface ChildOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** What the export returned, if it returned before the child ended. */
  result?: unknown;
  /** Set when the export threw or rejected. */
  error?: { message: string; code?: unknown };
  stderr: string;
  timedOut: boolean;
}

// The child's side, passed with --eval so it needs no file of its own (the runtime may run from sources).
const childScript = `
import { pathToFileURL } from 'node:url';
process.once('message', async ({ modulePath, exportName, args }) => {
  try {
    const entry = (await import(pathToFileURL(modulePath).href))[exportName];
    if (typeof entry !== 'function') throw new Error(modulePath + ' has no exported function ' + exportName);
    reply({ result: await entry(...args) });
  } catch (error) {
    reply({ error: { message: String(error?.message ?? error), code: error?.code } });
  }
});
// Disconnecting lets the child end on its own once the export's work is done.
const reply = (message) => process.send(message, () => process.disconnect());
`;
const stderrLimitBytes = 64 * 1024;

/**
 * Calls a module's export in a fresh node process, so fatal crashes (abort, segfault) and memory
 * measurements cannot touch the test runner. Always settles: a stuck child is killed at `timeoutMs`.
 */
export function runInChild(options: RunInChildOptions): Promise<ChildOutcome> {
  const { modulePath, exportName, args = [], execArgv = [], timeoutMs = 60_000 } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...execArgv, '--input-type=module', '--eval', childScript], {
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let stderr = '';
    let answer: Pick<ChildOutcome, 'result' | 'error'> = {};
    let timedOut = false;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      // Keep the tail: the end of stderr says why a child died.
      stderr = (stderr + chunk).slice(-stderrLimitBytes);
    });
    child.on('message', (message) => {
      answer = message as typeof answer;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, ...answer, stderr, timedOut });
    });
    child.send({ modulePath, exportName, args });
  });
}
