/** The parent side of the workload: forks the measuring child, relays its progress, collects its samples. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MatrixError } from '../errors.js';
import type { ChildMessage, Samples, StepMessage, WorkloadConfig } from './protocol.js';

const childFile = fileURLToPath(new URL('./child.js', import.meta.url));
// Enough of the child's output to see why it failed, not so much that the reason scrolls away.
const tailLines = 25;

/**
 * The environment of the measuring child and the port processes it starts. A developer's RUST_BACKTRACE
 * would make every deliberate panic capture and print a backtrace, and the fault numbers would measure that.
 */
function measuringEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.RUST_BACKTRACE;
  delete env.RUST_LIB_BACKTRACE;
  return env;
}

/** Far above what a healthy run needs (a full round takes about 20 s on 2 cores): only a stuck backend hits it. */
function workloadTimeLimitMs(config: WorkloadConfig): number {
  return (5 + 2 * config.settings.rounds) * 60 * 1000;
}

export function runWorkload(config: WorkloadConfig, onStep: (step: StepMessage) => void): Promise<Samples> {
  return new Promise((resolve, reject) => {
    // The child's stdout and stderr are kept for errors only: Rust prints each deliberate panic there.
    const child = fork(childFile, [JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [], env: measuringEnv() });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).split('\n').slice(-tailLines - 1).join('\n');
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let samples: Samples | undefined;
    let failure: string | undefined;
    const limitMs = workloadTimeLimitMs(config);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'step') onStep(message);
      else if (message.type === 'done') samples = message.samples;
      else failure = message.message;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new MatrixError('ERR_WORKLOAD_FAILED', `the measuring process could not start: ${error.message}`, { cause: error }));
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      if (exitCode === 0 && samples !== undefined) {
        resolve(samples);
        return;
      }
      const why = timedOut
        ? `ran past its ${limitMs / 60_000}-minute limit and was stopped`
        : (failure ?? `exited with ${exitCode ?? signal} before sending its results`);
      const output = tail.trim() === '' ? '' : `\nits last output:\n${tail.trim()}`;
      reject(new MatrixError('ERR_WORKLOAD_FAILED', `the measurement failed: ${why}${output}`));
    });
  });
}
