import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import nodePlop from 'node-plop';
import { assertDestinationWritable, existingFiles } from './destination.js';
import { machineProbe, type Probe } from './doctor.js';
import { InterruptedError, OverwriteDeclinedError, type Step } from './errors.js';
import { generatorsEntry, loadGenerators, plannedFiles } from './generators.js';
import { stopSignalOf } from './interrupt.js';
import type { ModuleOptions } from './options.js';
import { assertCanBuild } from './preflight.js';
import { runCommand } from './run-command.js';

export interface StepTiming {
  step: Step;
  durationMs: number;
}

/** Lets the CLI show progress (spinners) while long steps run, and ask before replacing files. */
export interface CreateModuleHooks {
  onStepStart?(step: Step, description: string): void;
  onStepEnd?(timing: StepTiming): void;
  /** The step failed or was interrupted; createModule rejects with `error` right after this. */
  onStepFailed?(step: Step, error: unknown): void;
  /**
   * With `force`, before anything is written: the existing files (relative paths) the package
   * replaces. Resolving false stops with OverwriteDeclinedError. Without this hook they are replaced.
   */
  confirmOverwrite?(files: readonly string[]): Promise<boolean>;
}

/** What createModule reads from outside its options. */
export interface CreateModuleContext {
  /** Aborting (Ctrl-C) ends a running install or build with everything it started; rejects with InterruptedError. */
  signal?: AbortSignal;
  /** What the preflight reads from the machine (default: this machine). */
  probe?: Probe;
}

export interface CreateModuleResult {
  directory: string;
  /** Files in `directory` once generated (before install), relative to it, sorted. */
  files: string[];
  timings: StepTiming[];
}

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * Creates a package: checks first that it can (the target is writable, empty unless `force`, and
 * with `install` the package manager and the kind's toolchain are there), so a failed check
 * leaves nothing behind; then runs the plop generator for `options.kind`, then, unless `install`
 * is false, `<pm> install` and `<pm> run build` in it. No prompts and no printing, so tests and
 * other tools can call it directly.
 */
export async function createModule(
  options: ModuleOptions,
  hooks: CreateModuleHooks = {},
  context: CreateModuleContext = {},
): Promise<CreateModuleResult> {
  const { signal } = context;
  const stopIfInterrupted = (step: Step) => {
    if (signal?.aborted) throw new InterruptedError(stopSignalOf(signal), step);
  };
  const timings: StepTiming[] = [];
  const timed = async (step: Step, description: string, work: () => Promise<void>) => {
    stopIfInterrupted(step);
    hooks.onStepStart?.(step, description);
    const started = performance.now();
    try {
      await work();
    } catch (error) {
      // runCommand rejects with the abort reason once it has ended what it ran.
      const failure = signal?.aborted && error === signal.reason ? new InterruptedError(stopSignalOf(signal), step) : error;
      hooks.onStepFailed?.(step, failure);
      throw failure;
    }
    const timing = { step, durationMs: performance.now() - started };
    timings.push(timing);
    hooks.onStepEnd?.(timing);
  };

  const generators = await loadGenerators();
  // Throws ERR_UNKNOWN_KIND for a kind without templates.
  const kind = generators.readKind(options.kind);
  await assertDestinationWritable(options.directory);
  // Checked here as well as in the generator's first action: node-plop reports action errors
  // as plain strings, and this one deserves its typed code.
  await generators.assertDestinationUsable(options.directory, options.force);
  if (options.install && options.preflight) {
    try {
      assertCanBuild(kind, options.packageManager, context.probe ?? machineProbe);
    } catch (error) {
      // Ctrl-C on a terminal also ends the probe's child (`cargo --version`), which then reads as missing;
      // the signal reaches this process's handler only once the event loop turns. Let it, so an
      // interrupt is reported as one (nothing written, exit 130), not as a missing toolchain.
      await new Promise((resolve) => setTimeout(resolve, 50));
      stopIfInterrupted('generate');
      throw error;
    }
  }
  if (options.force && hooks.confirmOverwrite !== undefined) {
    const replaced = existingFiles(options.directory, await plannedFiles(options.kind));
    if (replaced.length > 0 && !(await hooks.confirmOverwrite(replaced))) throw new OverwriteDeclinedError(options.directory);
  }

  await timed('generate', `Writing ${options.name} (${options.kind})`, async () => {
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
    const run = (args: string[]) => runCommand(pm, args, { cwd: options.directory, ...(signal !== undefined && { signal }) });
    await timed('install', `Installing dependencies with ${pm}`, () => run(['install']));
    await timed('build', `Building with ${pm} run build`, () => run(['run', 'build']));
  }
  return { directory: options.directory, files, timings };
}
