import type { Readable, Writable } from 'node:stream';
import * as clack from '@clack/prompts';
import { PromptCancelledError } from './errors.js';
import type { KindFacts } from './generators.js';
import { defaultKind, nameFromDirectory, resolveOptions, type ModuleOptions, type OptionsContext, type ParsedArgs } from './options.js';

/** The questions the CLI can ask; each answers one flag. Injected so tests need no terminal. */
export interface Prompter {
  /** the dir argument; `initial` is a real default, taken on Enter */
  directory(initial: string | undefined): Promise<string>;
  /** --kind */
  kind(kinds: readonly KindFacts[], initial: string | undefined): Promise<string>;
  /** --name (when the directory does not give a valid one) */
  name(problem: (value: string) => string | undefined): Promise<string>;
  /** --description */
  description(initial: string): Promise<string>;
  /** --force (with --yes: yes without asking): replace `count` existing files in `directory`? */
  confirmOverwrite(count: number, directory: string): Promise<boolean>;
}

function answered<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new PromptCancelledError();
  return value as Exclude<T, symbol>;
}

/**
 * The questions on a terminal (stdin and stdout unless told otherwise). A text question shows a
 * placeholder only when it is the default Enter takes; otherwise the example is in the question.
 */
export function createClackPrompter(streams: { input?: Readable; output?: Writable } = {}): Prompter {
  return {
    async directory(initial) {
      return answered(
        await clack.text({
          ...streams,
          message: initial === undefined ? 'Directory to create (for example ./my-module)' : 'Directory to create',
          ...(initial !== undefined && { placeholder: initial, defaultValue: initial }),
          validate: (value) => (initial === undefined && (value === undefined || value.trim() === '') ? 'A directory is required' : undefined),
        }),
      );
    },
    async kind(kinds, initial) {
      return answered(
        await clack.select({
          ...streams,
          message: 'Which backend?',
          // The hint says what the kind is for and what it costs (the README's decision matrix has the numbers).
          options: kinds.map(({ kind, hint }) => ({ value: kind, label: kind, hint })),
          ...(initial !== undefined && { initialValue: initial }),
        }),
      );
    },
    async name(problem) {
      return answered(
        await clack.text({
          ...streams,
          message: 'npm package name (for example my-module or @scope/my-module)',
          validate: (value) => (value === undefined || value === '' ? 'A package name is required' : problem(value)),
        }),
      );
    },
    async description(initial) {
      return answered(await clack.text({ ...streams, message: 'Description', placeholder: initial, defaultValue: initial }));
    },
    async confirmOverwrite(count, directory) {
      return answered(
        await clack.confirm({
          ...streams,
          message: `Overwrite ${count === 1 ? 'this file' : `these ${count} files`} in ${directory}?`,
          initialValue: false,
        }),
      );
    },
  };
}

export interface Interaction {
  /** Someone can answer: stdin is a terminal. */
  interactive: boolean;
  prompter?: Prompter;
}

/**
 * Asks for what the command line left open, but only when someone can answer: stdin is a
 * terminal and --yes was not given. Otherwise it asks nothing and resolveOptions decides
 * (defaults, or a UsageError for a missing required value).
 */
export async function completeOptions(args: ParsedArgs, context: OptionsContext, interaction: Interaction): Promise<ModuleOptions> {
  if (!interaction.interactive || args.yes) return resolveOptions(args, context);
  const prompter = interaction.prompter ?? createClackPrompter();
  const directory =
    args.directory ?? (await prompter.directory(args.name === undefined ? undefined : context.naming.binaryNameOf(args.name)));
  const kind = args.kind ?? (await prompter.kind(context.kinds, defaultKind(context.kinds)));
  const name = args.name ?? nameFromDirectory(directory, context) ?? (await prompter.name(context.naming.packageNameProblem));
  const description = args.description ?? (await prompter.description(context.naming.defaultDescription(kind)));
  return resolveOptions({ ...args, directory, kind, name, description }, context);
}

/**
 * Whether to replace existing files under --force: asks on a terminal, unless --yes said never
 * to ask; without a terminal the flag itself is the answer.
 */
export function allowOverwrite(files: readonly string[], directory: string, yes: boolean, interaction: Interaction): Promise<boolean> {
  if (!interaction.interactive || yes) return Promise.resolve(true);
  return (interaction.prompter ?? createClackPrompter()).confirmOverwrite(files.length, directory);
}
