import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import type { GeneratorsModule, KindFacts } from './generators.js';

export const packageManagers = ['npm', 'pnpm', 'yarn'] as const;
export type PackageManager = (typeof packageManagers)[number];

/** What the command line said, checked but not yet completed with defaults or prompts. */
export interface ParsedArgs {
  directory?: string;
  kind?: string;
  name?: string;
  description?: string;
  yes: boolean;
  install: boolean;
  packageManager: PackageManager;
  runtimeSpec?: string;
  force: boolean;
  skipPreflight: boolean;
  help: boolean;
  version: boolean;
}

/** Everything createModule needs; no optional decisions left. */
export interface ModuleOptions {
  kind: string;
  name: string;
  /** Absolute path of the package to create. */
  directory: string;
  /** The directory as the user gave it (or the default name), for the commands we print: relative stays relative. */
  displayDirectory: string;
  description: string;
  install: boolean;
  packageManager: PackageManager;
  /** Dependency spec for @interop-module/runtime; the generators' default range when absent. */
  runtimeSpec?: string;
  force: boolean;
  /** Check the package manager and the kind's toolchain before writing anything (only matters with install). */
  preflight: boolean;
}

/** Facts from outside the argument list that parsing and defaults depend on. */
export interface OptionsContext {
  /** Every kind's facts (generators' readKinds). */
  kinds: readonly KindFacts[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  naming: Pick<GeneratorsModule, 'packageNameProblem' | 'binaryNameOf' | 'defaultDescription'>;
}

const argsSchema = {
  kind: { type: 'string' },
  name: { type: 'string' },
  description: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  'no-install': { type: 'boolean' },
  pm: { type: 'string' },
  runtime: { type: 'string' },
  force: { type: 'boolean' },
  'skip-preflight': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export function usage(kinds: readonly KindFacts[]): string {
  const width = Math.max(...kinds.map(({ kind }) => kind.length));
  const hints = kinds.map(({ kind, hint }) => `                           ${kind.padEnd(width)}  ${hint}`);
  return `Usage: create-interop-module [dir] [options]
       create-interop-module doctor [--kind <kind>]... [--pm <manager>]   check this machine's toolchain (exit 1 if a kind named cannot build and test here)
       create-interop-module add <name> --arg <name>:<type> [--arg …] --returns <type> [--offload | --sync] [--dry-run]
                              add a function of your own to the generated package you are in (add --help)

Creates a TypeScript package with a native or pure backend behind one API. On a terminal it asks
for whatever the options below leave open; without one (or with --yes) it never waits for input.

Arguments:
  dir                    where to create the package (default: the package name without scope)

Options:
  --kind <kind>          backend: ${kindNames(kinds).join(', ')}
${hints.join('\n')}
  --name <npm-name>      package name, e.g. @scope/fast-hash (default: the directory's name, with
                         its @scope folder when it is in one: @acme/hash for packages/@acme/hash)
  --description <text>   package description
  -y, --yes              use defaults for everything not given, never prompt
  --no-install           only write the files: do not install dependencies or build (no preflight)
  --pm <manager>         package manager: ${packageManagers.join(', ')} (default: the one running this command)
  --runtime <spec>       dependency spec for @interop-module/runtime (version range or tarball path)
  --force                write into a non-empty directory; lists the files it replaces, and on a
                         terminal asks first (not with --yes)
  --skip-preflight       install and build even if the package manager or the kind's toolchain
                         seems missing (by default that stops before anything is written)
  -h, --help             show this help
  -v, --version          show the version

Exit codes: 0 created, 1 failed (the message says why), 2 usage or missing toolchain (nothing
written), 130 interrupted (Ctrl-C; the message says what is on disk and how to finish).
`;
}

function kindNames(kinds: readonly KindFacts[]): string[] {
  return kinds.map(({ kind }) => kind);
}

/** The package manager that launched us (npm_config_user_agent is set by npm, pnpm and yarn). */
export function detectPackageManager(env: NodeJS.ProcessEnv): PackageManager {
  const agent = env['npm_config_user_agent']?.split('/')[0];
  return packageManagers.find((manager) => manager === agent) ?? 'npm';
}

/**
 * A runtime spec that names a local path becomes a `file:` spec with an absolute path, because
 * the generated package.json lives elsewhere and a relative path would resolve from there.
 */
function normalizeRuntimeSpec(spec: string, cwd: string): string {
  const isPath = path.isAbsolute(spec) || /^\.\.?[\\/]/.test(spec);
  return isPath ? `file:${path.resolve(cwd, spec)}` : spec;
}

function requireText(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError(`--${flag} needs a non-empty value.`);
  return value;
}

/** The value of --pm, checked. */
export function packageManagerOption(value: string | undefined): PackageManager | undefined {
  const pm = requireText('pm', value);
  if (pm !== undefined && !packageManagers.some((manager) => manager === pm)) {
    throw new UsageError(`Unknown package manager "${pm}". Choose one of: ${packageManagers.join(', ')}.`);
  }
  return pm as PackageManager | undefined;
}

export function parseCliArgs(argv: readonly string[], context: OptionsContext): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: argsSchema, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs reports unknown flags and missing values as TypeErrors with ERR_PARSE_ARGS_* codes.
    if (error instanceof TypeError && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(error.message);
    }
    throw error;
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UsageError(`Expected at most one directory, got ${positionals.length}: ${positionals.join(' ')}.`);
  }
  const directory = positionals[0];
  if (directory !== undefined && directory.trim() === '') throw new UsageError('The directory is empty.');

  const kind = requireText('kind', values.kind);
  if (kind !== undefined && !kindNames(context.kinds).includes(kind)) {
    throw new UsageError(`Unknown kind "${kind}". Choose one of: ${kindNames(context.kinds).join(', ')}.`);
  }
  const name = requireText('name', values.name);
  if (name !== undefined) assertPackageName(name, context);
  const description = values.description;
  if (description !== undefined && /[\r\n]/.test(description)) {
    throw new UsageError('--description must be a single line.');
  }
  const pm = packageManagerOption(values.pm);
  const runtime = requireText('runtime', values.runtime);

  return {
    ...(directory !== undefined && { directory }),
    ...(kind !== undefined && { kind }),
    ...(name !== undefined && { name }),
    ...(description !== undefined && { description }),
    yes: values.yes === true,
    install: values['no-install'] !== true,
    packageManager: pm ?? detectPackageManager(context.env),
    ...(runtime !== undefined && { runtimeSpec: normalizeRuntimeSpec(runtime, context.cwd) }),
    force: values.force === true,
    skipPreflight: values['skip-preflight'] === true,
    help: values.help === true,
    version: values.version === true,
  };
}

function assertPackageName(name: string, context: OptionsContext): void {
  const problem = context.naming.packageNameProblem(name);
  if (problem !== undefined) throw new UsageError(`Invalid package name: ${problem}.`);
}

/**
 * The package name a directory implies: its last segment, with the scope when the segment before
 * it is an @scope folder (`packages/@acme/hash` → `@acme/hash`); undefined when that is not a
 * valid npm name.
 */
export function nameFromDirectory(directory: string, context: OptionsContext): string | undefined {
  const resolved = path.resolve(context.cwd, directory);
  const base = path.basename(resolved);
  const parent = path.basename(path.dirname(resolved));
  const candidate = parent.startsWith('@') ? `${parent}/${base}` : base;
  return context.naming.packageNameProblem(candidate) === undefined ? candidate : undefined;
}

/** The kind --yes picks: the one whose kind.json says "preferred", else the first kind. */
export function defaultKind(kinds: readonly KindFacts[]): string | undefined {
  return (kinds.find((facts) => facts.preferred) ?? kinds[0])?.kind;
}

/**
 * Completes parsed arguments without asking anyone: the name comes from the directory and the
 * directory from the name; with --yes the kind defaults too. Anything still missing is a
 * UsageError, so a run without a terminal fails fast instead of waiting for input.
 */
export function resolveOptions(args: ParsedArgs, context: OptionsContext): ModuleOptions {
  const kind = args.kind ?? (args.yes ? defaultKind(context.kinds) : undefined);
  if (kind === undefined) {
    throw new UsageError(`Missing --kind (one of: ${kindNames(context.kinds).join(', ')}); pass it, or --yes for the default.`);
  }
  const name = args.name ?? (args.directory === undefined ? undefined : nameFromDirectory(args.directory, context));
  if (name === undefined) {
    throw new UsageError(
      args.directory === undefined
        ? 'Missing the package name: pass a directory or --name.'
        : `The directory name "${path.basename(args.directory)}" is not a valid npm name; pass --name.`,
    );
  }
  const displayDirectory = args.directory ?? context.naming.binaryNameOf(name);
  return {
    kind,
    name,
    directory: path.resolve(context.cwd, displayDirectory),
    displayDirectory,
    description: args.description ?? context.naming.defaultDescription(kind),
    install: args.install,
    packageManager: args.packageManager,
    ...(args.runtimeSpec !== undefined && { runtimeSpec: args.runtimeSpec }),
    force: args.force,
    preflight: !args.skipPreflight,
  };
}
