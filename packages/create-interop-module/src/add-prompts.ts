import * as clack from '@clack/prompts';
import type { AddArgs, AddOptions } from './add-options.js';
import { PromptCancelledError, UsageError } from './errors.js';
import type { GeneratorsModule } from './generators.js';

/** The questions `add` can ask; each answers one flag. Injected so tests need no terminal. */
export interface AddPrompter {
  name(problem: (value: string) => string | undefined): Promise<string>;
  /** The arguments as one line: `data:bytes count:u32`. */
  args(problem: (value: string) => string | undefined): Promise<string>;
  returns(types: readonly string[]): Promise<string>;
}

function answered<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new PromptCancelledError();
  return value as Exclude<T, symbol>;
}

export function createClackAddPrompter(): AddPrompter {
  return {
    async name(problem) {
      return answered(await clack.text({ message: 'Function name (camelCase, for example checksum)', validate: (value) => problem(value ?? '') }));
    },
    async args(problem) {
      return answered(
        await clack.text({ message: 'Arguments, as name:type separated by spaces (for example data:bytes count:u32)', validate: (value) => problem(value ?? '') }),
      );
    },
    async returns(types) {
      return answered(await clack.select({ message: 'Returns', options: types.map((type) => ({ value: type, label: type })) }));
    },
  };
}

type Signatures = Pick<GeneratorsModule, 'functionNameProblem' | 'parseArguments' | 'returnTypes'>;

const specsOf = (line: string) => line.split(/[\s,]+/).filter((spec) => spec !== '');

/** Without a terminal, every flag must be there: ERR_USAGE naming those that are not. */
export function assertComplete(args: AddArgs): void {
  const missing = [args.name === undefined && '<name>', args.args.length === 0 && '--arg', args.returns === undefined && '--returns'].filter(Boolean);
  if (missing.length > 0) {
    throw new UsageError(`add: missing ${missing.join(', ')}. For example: create-interop-module add checksum --arg data:bytes --returns u32`);
  }
}

/**
 * Completes `add`'s options: on a terminal it asks for the name, arguments and return type left out;
 * otherwise a missing one is ERR_USAGE. The signature itself is checked by the generator.
 */
export async function completeAddOptions(
  args: AddArgs,
  packageDir: string,
  signatures: Signatures,
  interaction: { interactive: boolean; prompter?: AddPrompter },
): Promise<AddOptions> {
  if (!interaction.interactive) assertComplete(args);
  const prompter = interaction.prompter ?? createClackAddPrompter();
  const name = args.name ?? (await prompter.name(signatures.functionNameProblem));
  const specs =
    args.args.length > 0
      ? args.args
      : specsOf(
          await prompter.args((line) => {
            const parsed = signatures.parseArguments(specsOf(line), name);
            return typeof parsed === 'string' ? parsed : undefined;
          }),
        );
  const returns = args.returns ?? (await prompter.returns(signatures.returnTypes));
  return { packageDir, name, args: specs, returns, mode: args.mode, dryRun: args.dryRun };
}
