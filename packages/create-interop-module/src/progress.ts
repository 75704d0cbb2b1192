import { performance } from 'node:perf_hooks';
import type { CreateModuleHooks } from './api.js';
import { InterruptedError } from './errors.js';

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

type ProgressHooks = Pick<CreateModuleHooks, 'onStepStart' | 'onStepEnd' | 'onStepFailed'>;

const frames = ['◒', '◐', '◓', '◑'];
const frameMs = 120;

export function formatSeconds(durationMs: number): string {
  return `${(durationMs / 1000).toFixed(1)}s`;
}

/**
 * A spinner that only writes to `output`. It leaves stdin alone on purpose: a spinner that puts
 * the terminal in raw mode (as @clack/prompts' does) turns Ctrl-C into a key press, so it never
 * becomes SIGINT, and the install it was showing would be left running.
 */
function startSpinner(output: ProgressOutput, text: string): { stop(line: string): void } {
  const started = performance.now();
  let frame = 0;
  const draw = () => output.write(`\r\x1b[2K${frames[frame++ % frames.length]}  ${text} ${formatSeconds(performance.now() - started)}`);
  draw();
  const timer = setInterval(draw, frameMs);
  // Never the reason the process stays up.
  timer.unref();
  return {
    stop(line) {
      clearInterval(timer);
      output.write(`\r\x1b[2K${line}\n`);
    },
  };
}

function outcomeOf(error: unknown): string {
  return error instanceof InterruptedError ? 'stopped' : 'failed';
}

/** Spinners on a terminal; plain lines otherwise, so logs and CI output stay readable. */
export function progressHooks(output: ProgressOutput): ProgressHooks {
  if (output.isTTY !== true) {
    return {
      onStepStart: (_step, description) => output.write(`${description}...\n`),
      onStepEnd: ({ step, durationMs }) => output.write(`${step} done in ${formatSeconds(durationMs)}\n`),
      onStepFailed: (step, error) => output.write(`${step} ${outcomeOf(error)}\n`),
    };
  }
  let spinner: { stop(line: string): void } | undefined;
  return {
    onStepStart(_step, description) {
      spinner = startSpinner(output, description);
    },
    onStepEnd({ step, durationMs }) {
      spinner?.stop(`◇  ${step} done in ${formatSeconds(durationMs)}`);
    },
    onStepFailed(step, error) {
      spinner?.stop(`■  ${step} ${outcomeOf(error)}`);
    },
  };
}
