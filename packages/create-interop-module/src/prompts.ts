import * as clack from '@clack/prompts';
import { PromptCancelledError } from './errors.js';
import { defaultKind, nameFromDirectory, resolveOptions, type ModuleOptions, type OptionsContext, type ParsedArgs } from './options.js';

/** The questions the CLI can ask; each answers one flag. Injected so tests need no terminal. */
export interface Prompter {
  /** --kind */
  kind(kinds: readonly string[], initial: string | undefined): Promise<string>;
  /** --name (or the directory argument) */
  name(problem: (value: string) => string | undefined): Promise<string>;
  /** --description */
  description(initial: string): Promise<string>;
}

function answered<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new PromptCancelledError();
  return value as Exclude<T, symbol>;
}

export const clackPrompter: Prompter = {
  async kind(kinds, initial) {
    return answered(
      await clack.select({
        message: 'Which backend?',
        options: kinds.map((kind) => ({ value: kind, label: kind })),
        ...(initial !== undefined && { initialValue: initial }),
      }),
    );
  },
  async name(problem) {
    return answered(
      await clack.text({
        message: 'npm package name',
        placeholder: '@scope/my-module',
        validate: (value) => (value === undefined || value === '' ? 'A package name is required' : problem(value)),
      }),
    );
  },
  async description(initial) {
    return answered(await clack.text({ message: 'Description', placeholder: initial, defaultValue: initial }));
  },
};

/**
 * Asks for what the command line left open, but only when someone can answer: stdin is a
 * terminal and --yes was not given. Otherwise it asks nothing and resolveOptions decides
 * (defaults, or a UsageError for a missing required value).
 */
export async function completeOptions(
  args: ParsedArgs,
  context: OptionsContext,
  interaction: { interactive: boolean; prompter?: Prompter },
): Promise<ModuleOptions> {
  if (!interaction.interactive || args.yes) return resolveOptions(args, context);
  const prompter = interaction.prompter ?? clackPrompter;
  const kind = args.kind ?? (await prompter.kind(context.kinds, defaultKind(context.kinds)));
  const name = args.name ?? nameFromDirectory(args, context) ?? (await prompter.name(context.naming.packageNameProblem));
  const description = args.description ?? (await prompter.description(context.naming.defaultDescription(kind)));
  return resolveOptions({ ...args, kind, name, description }, context);
}
