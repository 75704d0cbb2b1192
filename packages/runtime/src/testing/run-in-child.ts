import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';

export interface RunInChildOptions {
  /** Absolute path of an ES module that plain node can import (a built file, not TypeScript). */
  modulePath: string;
  exportName: string;
  /** Arguments for the export (anything the structured clone algorithm copies). */
  args?: unknown[];
  /** Node flags for the child, e.g. ['--expose-gc']. */
  execArgv?: string[];
  /** The child is SIGKILLed after this long; default 60 s. */
  timeoutMs?: number;
}

export interface ChildOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /**
   * Whether the export returned or threw before the child ended. A child that exits on its own with
   * this false dropped the call: its promise was still pending when nothing kept Node alive.
   */
  settled: boolean;
  /** What the export returned, if it returned before the child ended. */
  result?: unknown;
  /** Set when the export threw or rejected. */
  error?: { message: string; code?: unknown };
  stderr: string;
  timedOut: boolean;
}

const callVariable = 'INTEROP_RUN_IN_CHILD';
const outcomeVariable = 'INTEROP_RUN_IN_CHILD_OUTCOME';

// The child's side, written to a file of its own next to the outcome (the runtime may run from sources;
// with --eval, its --input-type flag would reach the child's worker threads and fail them). It gets its
// call from the environment and writes the outcome to a file, with no IPC channel and no
// top-level await: only the export's own work keeps the child alive, as in a user's script, so a call
// that Node would drop shows as a child that exits without settling.
const childScript = `
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { deserialize, serialize } from 'node:v8';
const { modulePath, exportName, args } = deserialize(Buffer.from(process.env.${callVariable}, 'base64'));
const outcomeFile = process.env.${outcomeVariable};
delete process.env.${callVariable};
delete process.env.${outcomeVariable};
const report = (outcome) => writeFileSync(outcomeFile, serialize(outcome));
import(pathToFileURL(modulePath).href)
  .then((module) => {
    const entry = module[exportName];
    if (typeof entry !== 'function') throw new Error(modulePath + ' has no exported function ' + exportName);
    return entry(...args);
  })
  .then(
    (result) => report({ result }),
    (error) => report({ error: { message: String(error?.message ?? error), code: error?.code } }),
  );
`;
const stderrLimitBytes = 64 * 1024;

async function readOutcome(file: string): Promise<Pick<ChildOutcome, 'result' | 'error'> | undefined> {
  try {
    return deserialize(await readFile(file)) as Pick<ChildOutcome, 'result' | 'error'>;
  } catch {
    return undefined;
  }
}

/**
 * Calls a module's export in a fresh node process, so fatal crashes (abort, segfault), memory
 * measurements and calls that could be dropped cannot touch the test runner. Always settles: a stuck
 * child is killed at `timeoutMs`.
 */
export async function runInChild(options: RunInChildOptions): Promise<ChildOutcome> {
  const { modulePath, exportName, args = [], execArgv = [], timeoutMs = 60_000 } = options;
  const folder = await mkdtemp(path.join(tmpdir(), 'interop-run-in-child-'));
  const outcomeFile = path.join(folder, 'outcome');
  const scriptFile = path.join(folder, 'child.mjs');
  try {
    await writeFile(scriptFile, childScript);
    const ended = await new Promise<Omit<ChildOutcome, 'settled' | 'result' | 'error'>>((resolve, reject) => {
      const child = spawn(process.execPath, [...execArgv, scriptFile], {
        stdio: ['ignore', 'inherit', 'pipe'],
        env: {
          ...process.env,
          [callVariable]: serialize({ modulePath, exportName, args }).toString('base64'),
          [outcomeVariable]: outcomeFile,
        },
      });
      let stderr = '';
      let timedOut = false;
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        // Keep the tail: the end of stderr says why a child died.
        stderr = (stderr + chunk).slice(-stderrLimitBytes);
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
        resolve({ exitCode, signal, stderr, timedOut });
      });
    });
    const outcome = await readOutcome(outcomeFile);
    return { ...ended, settled: outcome !== undefined, ...outcome };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
