import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import nodePlop from 'node-plop';
import { generatorsEntry, loadGenerators } from './generators.js';
import type { ModuleOptions } from './options.js';

/** An install or build command exited non-zero or could not start. */
export class CommandFailedError extends Error {
  readonly code = 'ERR_COMMAND_FAILED';

  constructor(
    readonly command: readonly string[],
    readonly exitCode: number | null,
    readonly output: string,
    options?: { cause?: unknown },
  ) {
    const reason = exitCode === null ? 'could not start' : `exited with code ${exitCode}`;
    super(`\`${command.join(' ')}\` ${reason}.${output === '' ? '' : `\n${output}`}`, options);
    this.name = 'CommandFailedError';
  }
}

export type Step = 'generate' | 'install' | 'build';

export interface StepTiming {
  step: Step;
  durationMs: number;
}

/** Lets the CLI show progress (spinners) while long steps run. */
export interface ProgressHooks {
  onStepStart?(step: Step, description: string): void;
  onStepEnd?(timing: StepTiming): void;
  /** The step threw; createModule rejects with that error right after this. */
  onStepFailed?(step: Step): void;
}

export interface CreateModuleResult {
  directory: string;
  /** Files in `directory` once generated (before install), relative to it, sorted. */
  files: string[];
  timings: StepTiming[];
}

// Enough of a failed command's output to see the error without flooding the terminal.
const outputTailBytes = 16 * 1024;

function runCommand(command: string, args: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // An argument array and no shell: names and paths are never interpreted by a shell.
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-outputTailBytes);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => reject(new CommandFailedError([command, ...args], null, error.message, { cause: error })));
    child.on('close', (exitCode) => {
      if (exitCode === 0) resolve();
      else reject(new CommandFailedError([command, ...args], exitCode, output.trim()));
    });
  });
}

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * Creates a package: runs the plop generator for `options.kind`, then, unless `install` is
 * false, `<pm> install` and `<pm> run build` in it. No prompts and no printing, so tests and
 * other tools can call it directly.
 */
export async function createModule(options: ModuleOptions, hooks: ProgressHooks = {}): Promise<CreateModuleResult> {
  const timings: StepTiming[] = [];
  const timed = async (step: Step, description: string, work: () => Promise<void>) => {
    hooks.onStepStart?.(step, description);
    const started = performance.now();
    try {
      await work();
    } catch (error) {
      hooks.onStepFailed?.(step);
      throw error;
    }
    const timing = { step, durationMs: performance.now() - started };
    timings.push(timing);
    hooks.onStepEnd?.(timing);
  };

  const generators = await loadGenerators();
  if (!generators.listKinds().includes(options.kind)) {
    throw new generators.GeneratorError('ERR_UNKNOWN_KIND', `There are no templates for the kind "${options.kind}".`);
  }
  await timed('generate', `Writing ${options.name} (${options.kind})`, async () => {
    // Checked here as well as in the generator's first action: node-plop reports action errors
    // as plain strings, and this one deserves its typed code.
    await generators.assertDestinationUsable(options.directory, options.force);
    const plop = await nodePlop(generatorsEntry(), { destBasePath: options.directory, force: options.force });
    const { failures } = await plop.getGenerator(options.kind).runActions({
      name: options.name,
      directory: options.directory,
      description: options.description,
      ...(options.runtimeSpec !== undefined && { runtimeSpec: options.runtimeSpec }),
    });
    const [firstFailure] = failures;
    if (firstFailure !== undefined) {
      throw new generators.GeneratorError('ERR_GENERATION_FAILED', `Generating the package failed: ${firstFailure.error}`);
    }
  });
  const files = await listFiles(options.directory);

  if (options.install) {
    const pm = options.packageManager;
    await timed('install', `Installing dependencies with ${pm}`, () => runCommand(pm, ['install'], options.directory));
    await timed('build', `Building with ${pm} run build`, () => runCommand(pm, ['run', 'build'], options.directory));
  }
  return { directory: options.directory, files, timings };
}
