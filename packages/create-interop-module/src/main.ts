import { readFileSync } from 'node:fs';
import { addFunction, type AddFunctionResult } from './add.js';
import { addUsage, findPackageDir, parseAddArgs } from './add-options.js';
import { assertComplete, completeAddOptions, type AddPrompter } from './add-prompts.js';
import { createModule, type CreateModuleHooks } from './api.js';
import { runDoctor, type Probe } from './doctor.js';
import { CliError, InterruptedError, UsageError } from './errors.js';
import { loadGenerators } from './generators.js';
import { nextSteps, resumeInstructions } from './next-steps.js';
import { parseCliArgs, usage, type ModuleOptions, type OptionsContext } from './options.js';
import { progressHooks } from './progress.js';
import { allowOverwrite, completeOptions, type Interaction, type Prompter } from './prompts.js';

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
  /** Aborted when the process gets Ctrl-C (or SIGTERM, SIGHUP). */
  signal?: AbortSignal;
  createModule?: typeof createModule;
  prompter?: Prompter;
  /** `add`'s questions (default: clack on the terminal). */
  addPrompter?: AddPrompter;
  /** What doctor and the preflight read from the machine (default: this machine). */
  probe?: Probe;
}

/** Under --force: prints the files that will be replaced, then asks (terminal, no --yes) or goes ahead. */
function confirmOverwriteHook(options: ModuleOptions, yes: boolean, interaction: Interaction, environment: CliEnvironment) {
  return async (files: readonly string[]) => {
    environment.stdout.write(
      `--force: ${files.length} existing file${files.length === 1 ? '' : 's'} in ${options.directory} will be replaced:\n${files.map((file) => `  ${file}\n`).join('')}`,
    );
    return allowOverwrite(files, options.directory, yes, interaction);
  };
}

function readTextIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** What `add` did, for people. */
export function describeAdded(result: AddFunctionResult): string {
  const files = result.files.map(({ file, action }) => `  ${action.padEnd(9)} ${file}\n`).join('');
  if (result.alreadyAdded) return `${result.signature} is already in ${result.packageDir}, exactly as asked: nothing changed.\n`;
  if (result.dryRun) return `Would add ${result.signature} to the ${result.kind} package in ${result.packageDir} (--dry-run: nothing written):\n${files}`;
  return (
    `Added ${result.signature} to the ${result.kind} package in ${result.packageDir} in ${Math.round(result.durationMs)} ms:\n${files}` +
    'Next: npm test (builds it, then runs its tests with the new ones), npm run bench (times it beside its reference).\n'
  );
}

/** `create-interop-module add …`: flags (or questions on a terminal) → answers → the `function` generator. */
async function runAdd(argv: readonly string[], environment: CliEnvironment, generators: Awaited<ReturnType<typeof loadGenerators>>): Promise<number> {
  const args = parseAddArgs(argv);
  if (args.help) {
    environment.stdout.write(addUsage);
    return 0;
  }
  if (!environment.stdinIsTTY) assertComplete(args);
  const packageDir = findPackageDir(environment.cwd, readTextIfThere);
  const options = await completeAddOptions(args, packageDir, generators, {
    interactive: environment.stdinIsTTY,
    ...(environment.addPrompter !== undefined && { prompter: environment.addPrompter }),
  });
  environment.stdout.write(describeAdded(await addFunction(options)));
  return 0;
}

/** Runs the command and returns its exit code: 0 done, 1 failed, 2 usage, 130 interrupted (see the README's table). */
export async function runCli(argv: readonly string[], environment: CliEnvironment): Promise<number> {
  let options: ModuleOptions | undefined;
  try {
    const generators = await loadGenerators();
    const kinds = generators.readKinds();
    if (argv[0] === 'doctor') return runDoctor(argv.slice(1), kinds, environment.stdout, environment.probe);
    if (argv[0] === 'add') return await runAdd(argv.slice(1), environment, generators);
    const context: OptionsContext = {
      kinds,
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
    const interaction: Interaction = {
      interactive: environment.stdinIsTTY,
      ...(environment.prompter !== undefined && { prompter: environment.prompter }),
    };
    options = await completeOptions(args, context, interaction);
    const hooks: CreateModuleHooks = {
      ...progressHooks(environment.stdout),
      confirmOverwrite: confirmOverwriteHook(options, args.yes, interaction, environment),
    };
    const create = environment.createModule ?? createModule;
    const result = await create(options, hooks, {
      ...(environment.signal !== undefined && { signal: environment.signal }),
      ...(environment.probe !== undefined && { probe: environment.probe }),
    });
    environment.stdout.write(nextSteps(options, result));
    return 0;
  } catch (error) {
    if (error instanceof InterruptedError && options !== undefined) {
      environment.stderr.write(resumeInstructions(error, options));
      return error.exitCode;
    }
    if (error instanceof CliError) {
      const hint = error instanceof UsageError && error.code === 'ERR_USAGE' ? '\nRun create-interop-module --help for usage.' : '';
      environment.stderr.write(`${error.message}${hint}\n`);
      return error.exitCode;
    }
    // GeneratorError is matched by name: the generators module may be the thing that failed to load.
    if (error instanceof Error && error.name === 'GeneratorError') {
      environment.stderr.write(`${error.message}\n`);
      return 1;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    environment.stderr.write(`${detail}\nThis is a bug in create-interop-module, please report it: ${manifest.bugs.url}\n`);
    return 1;
  }
}
