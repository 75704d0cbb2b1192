import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** What `add`'s command line said, checked for form (the generator checks the signature itself). */
export interface AddArgs {
  name?: string;
  /** Each `name:type`, in order. */
  args: string[];
  returns?: string;
  mode: 'offload' | 'sync';
  dryRun: boolean;
  help: boolean;
}

/** Everything `addFunction` needs. */
export interface AddOptions {
  /** The generated package's directory (where its package.json is). */
  packageDir: string;
  name: string;
  args: string[];
  returns: string;
  mode: 'offload' | 'sync';
  dryRun: boolean;
}

const addSchema = {
  arg: { type: 'string', multiple: true },
  returns: { type: 'string' },
  offload: { type: 'boolean' },
  sync: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const addUsage = `Usage: create-interop-module add <name> --arg <name>:<type> [--arg …] --returns <type> [--offload | --sync] [--dry-run]

Adds a function of your own to the package create-interop-module made that you are in (found from
this directory up): its native side (napi export, port handler or wasm export, on the companion
crate), its TypeScript wrapper with argument checks, exported with its types, its pure-TypeScript
reference (<package>/reference), tests (backend equals reference, bad arguments, abort, timeout,
event loop, panic) and a bench entry. On a terminal it asks for what you leave out.

Arguments:
  name                   the function's name, camelCase (snake_case in Rust)

Options:
  --arg <name>:<type>    an argument, in order (repeat it); types: bytes, string, u32, f64, bool
  --returns <type>       bytes, string, u32, f64, bool or void
  --offload              run it off the event loop, with { signal, timeoutMs } (the default)
  --sync                 run it on the calling thread (napi, wasm, pure; a port is asynchronous)
  --dry-run              print the files it would write or change, and write nothing
  -h, --help             show this help

Exit codes: 0 added (or already there, exactly as asked: nothing changed), 2 refused (the message
says why; nothing written), 1 failed.
`;

export function parseAddArgs(argv: readonly string[]): AddArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: addSchema, allowPositionals: true, strict: true });
  } catch (error) {
    if (error instanceof TypeError && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(`add: ${error.message}`);
    }
    throw error;
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`add: expected one function name, got ${positionals.length}: ${positionals.join(' ')}.`);
  if (values.offload === true && values.sync === true) throw new UsageError('add: choose --offload or --sync, not both.');
  const [name] = positionals;
  return {
    ...(name !== undefined && { name }),
    args: values.arg ?? [],
    ...(values.returns !== undefined && { returns: values.returns }),
    mode: values.sync === true ? 'sync' : 'offload',
    dryRun: values['dry-run'] === true,
    help: values.help === true,
  };
}

/** The line of lib/index.ts by which a package says it was made by create-interop-module, and its kind. */
const generatedPackage = /^export const backend = '[a-z]+'/m;

/**
 * The package `add` works on: the nearest directory from `cwd` up with a package.json. It must be one
 * this tool made (its lib/index.ts names its backend); anywhere else is ERR_NOT_IN_PACKAGE.
 */
export function findPackageDir(cwd: string, readText: (file: string) => string | undefined): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) {
      if (generatedPackage.test(readText(path.join(dir, 'lib', 'index.ts')) ?? '')) return dir;
      throw new UsageError(
        `add works inside a package create-interop-module made; ${dir} (the nearest package.json from ${cwd}) is not one. ` +
          'Run it in your generated package.',
        'ERR_NOT_IN_PACKAGE',
      );
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new UsageError(`add works inside a package create-interop-module made; there is no package.json from ${cwd} up.`, 'ERR_NOT_IN_PACKAGE');
}
