import { spawn, type ChildProcess } from 'node:child_process';
import { CommandFailedError, type CommandOutcome } from './errors.js';

export interface RunCommandOptions {
  cwd: string;
  /** Aborting ends the command and everything it started, then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** After SIGTERM, how long the process group gets before SIGKILL; after SIGKILL, how long we wait for it. */
  graceMs?: number;
}

// Enough of a failed command's output to see the error without flooding the terminal.
const outputTailBytes = 16 * 1024;
const defaultGraceMs = 3_000;

/** Sends `signal` to every process in the group led by `pid`; a group already gone is not an error. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Ends the child's process group: SIGTERM, then SIGKILL if it is still there after `graceMs`, then
 * at most `graceMs` more. `closed` settles once every process holding the child's output has exited.
 */
async function endProcessGroup(child: ChildProcess, closed: Promise<unknown>, graceMs: number): Promise<void> {
  if (child.pid === undefined) return;
  signalGroup(child.pid, 'SIGTERM');
  if (await settlesWithin(closed, graceMs)) return;
  signalGroup(child.pid, 'SIGKILL');
  await settlesWithin(closed, graceMs);
}

/**
 * Runs a command to completion; rejects with CommandFailedError (and the tail of its output) when
 * it fails. The command leads its own process group, so a terminal's Ctrl-C reaches only this
 * process, which then ends the whole group — npm and the scripts it started alike — instead of
 * leaving them running with no parent.
 */
export function runCommand(command: string, args: readonly string[], options: RunCommandOptions): Promise<void> {
  const { signal, graceMs = defaultGraceMs } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    // An argument array and no shell: names and paths are never interpreted by a shell.
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-outputTailBytes);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const closed = new Promise<CommandOutcome>((resolveClosed) =>
      child.on('close', (exitCode, exitSignal) => resolveClosed({ exitCode, signal: exitSignal })),
    );
    const onAbort = () => {
      void endProcessGroup(child, closed, graceMs).then(() => reject(signal?.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new CommandFailedError([command, ...args], { exitCode: null, signal: null }, error.message, { cause: error }));
    });
    void closed.then((outcome) => {
      if (signal?.aborted) return;
      signal?.removeEventListener('abort', onAbort);
      if (outcome.exitCode === 0) resolve();
      else reject(new CommandFailedError([command, ...args], outcome, output.trim()));
    });
  });
}
