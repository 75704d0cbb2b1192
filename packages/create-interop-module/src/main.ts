import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as clack from '@clack/prompts';
import { CommandFailedError, createModule, type CreateModuleResult, type ProgressHooks, type Step } from './api.js';
import { runDoctor } from './doctor.js';
import { loadGenerators } from './generators.js';
import { parseCliArgs, usage, UsageError, type ModuleOptions, type OptionsContext } from './options.js';
import { completeOptions, PromptCancelledError, type Prompter } from './prompts.js';

interface PackageManifest {
  version: string;
  bugs: { url: string };
}

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as PackageManifest;

/** Everything the command touches outside its arguments, so tests can run it in-process. */
export interface CliEnvironment {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  createModule?: typeof createModule;
  prompter?: Prompter;
}

function formatSeconds(durationMs: number): string {
  return `${(durationMs / 1000).toFixed(1)}s`;
}

/** Spinners on a terminal; plain lines otherwise, so logs and CI output stay readable. */
function progressHooks(environment: CliEnvironment): ProgressHooks {
  if (environment.stdout.isTTY === true) {
    const spinners = new Map<Step, ReturnType<typeof clack.spinner>>();
    return {
      onStepStart(step, description) {
        const spinner = clack.spinner();
        spinners.set(step, spinner);
        spinner.start(description);
      },
      onStepEnd({ step, durationMs }) {
        spinners.get(step)?.stop(`${step} done in ${formatSeconds(durationMs)}`);
      },
      // A spinner left running keeps its timer alive and the process from exiting.
      onStepFailed(step) {
        spinners.get(step)?.error(`${step} failed`);
      },
    };
  }
  return {
    onStepStart(_step, description) {
      environment.stdout.write(`${description}...\n`);
    },
    onStepEnd({ step, durationMs }) {
      environment.stdout.write(`${step} done in ${formatSeconds(durationMs)}\n`);
    },
    onStepFailed(step) {
      environment.stdout.write(`${step} failed\n`);
    },
  };
}

function nextSteps(options: ModuleOptions, result: CreateModuleResult, cwd: string): string {
  const pm = options.packageManager;
  const relative = path.relative(cwd, result.directory) || '.';
  const commands = [
    `cd ${relative}`,
    ...(options.install ? [] : [`${pm} install`]),
    `${pm} test`,
    `${pm} run bench`,
  ];
  return `Created ${options.name} (${options.kind}) with ${result.files.length} files in ${result.directory}.\n\nNext steps:\n${commands.map((command) => `  ${command}\n`).join('')}`;
}

/** Runs the command and returns its exit code: 0 done, 1 failed, 2 usage error. */
export async function runCli(argv: readonly string[], environment: CliEnvironment): Promise<number> {
  try {
    const generators = await loadGenerators();
    if (argv[0] === 'doctor') return runDoctor(argv.slice(1), generators.listKinds(), environment.stdout);
    const context: OptionsContext = {
      kinds: generators.listKinds(),
      cwd: environment.cwd,
      env: environment.env,
      naming: generators,
    };
    const args = parseCliArgs(argv, context);
    if (args.help) {
      environment.stdout.write(usage(context.kinds));
      return 0;
    }
    if (args.version) {
      environment.stdout.write(`${manifest.version}\n`);
      return 0;
    }
    const options = await completeOptions(args, context, {
      interactive: environment.stdinIsTTY,
      ...(environment.prompter !== undefined && { prompter: environment.prompter }),
    });
    const create = environment.createModule ?? createModule;
    const result = await create(options, progressHooks(environment));
    environment.stdout.write(nextSteps(options, result, environment.cwd));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      environment.stderr.write(`${error.message}\nRun create-interop-module --help for usage.\n`);
      return 2;
    }
    if (isExpectedFailure(error)) {
      environment.stderr.write(`${error.message}\n`);
      return 1;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    environment.stderr.write(
      `${detail}\nThis is a bug in create-interop-module, please report it: ${manifest.bugs.url}\n`,
    );
    return 1;
  }
}

/** Failures with a known cause the user can act on; anything else is reported as a bug. */
function isExpectedFailure(error: unknown): error is Error {
  // GeneratorError is matched by name: the generators module may be the thing that failed to load.
  return (
    error instanceof CommandFailedError ||
    error instanceof PromptCancelledError ||
    (error instanceof Error && error.name === 'GeneratorError')
  );
}
