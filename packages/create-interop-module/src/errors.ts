import { constants } from 'node:os';

// The CLI's error types. Each has a stable `code` and the exit code the CLI ends with; the table in
// this package's README lists them (a test keeps the two in step).

/** A failure with a known cause the user can act on; the CLI prints its message and exits with its exitCode. */
export abstract class CliError extends Error {
  abstract readonly code: string;
  abstract readonly exitCode: number;
}

export type UsageErrorCode =
  | 'ERR_USAGE'
  | 'ERR_DESTINATION_UNWRITABLE'
  // `add` (add.ts): each refuses before anything is written.
  | 'ERR_NOT_IN_PACKAGE'
  | 'ERR_INVALID_SIGNATURE'
  | 'ERR_FUNCTION_EXISTS'
  | 'ERR_UNRECOGNISED_PACKAGE';

/** The command cannot start as called (arguments, or a target that cannot be created). Exit 2, nothing written. */
export class UsageError extends CliError {
  readonly exitCode = 2;

  constructor(
    message: string,
    readonly code: UsageErrorCode = 'ERR_USAGE',
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The package manager or the kind's toolchain is missing, so install or build would fail. Exit 2, nothing written. */
export class PreflightError extends CliError {
  readonly code = 'ERR_PREFLIGHT';
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = 'PreflightError';
  }
}

/** Ctrl-C or Escape at a question. Exit 130, like an interrupt, since that is what the user did. */
export class PromptCancelledError extends CliError {
  readonly code = 'ERR_CANCELLED';
  readonly exitCode = 130;

  constructor() {
    super('Cancelled; nothing was written.');
    this.name = 'PromptCancelledError';
  }
}

/** The user answered no when asked to overwrite existing files. Exit 1, nothing written. */
export class OverwriteDeclinedError extends CliError {
  readonly code = 'ERR_OVERWRITE_DECLINED';
  readonly exitCode = 1;

  constructor(directory: string) {
    super(`Nothing was written: you chose not to overwrite files in ${directory}.`);
    this.name = 'OverwriteDeclinedError';
  }
}

/** How a command ended: its exit code, the signal that killed it, or neither when it could not start. */
export interface CommandOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/** An install or build command exited non-zero, was killed, or could not start. Exit 1. */
export class CommandFailedError extends CliError {
  readonly code = 'ERR_COMMAND_FAILED';
  readonly exitCode = 1;

  constructor(
    readonly command: readonly string[],
    readonly outcome: CommandOutcome,
    readonly output: string,
    options?: { cause?: unknown },
  ) {
    const reason =
      outcome.exitCode !== null
        ? `exited with code ${outcome.exitCode}`
        : outcome.signal !== null
          ? `was killed by ${outcome.signal}`
          : 'could not start';
    super(`\`${command.join(' ')}\` ${reason}.${output === '' ? '' : `\n${output}`}`, options);
    this.name = 'CommandFailedError';
  }
}

/** The steps the CLI runs, in order. */
export type Step = 'generate' | 'install' | 'build';

/**
 * A signal (Ctrl-C: SIGINT) stopped the CLI before `step` finished; a running install or build was
 * ended with everything it started. Exit 128 + the signal's number (130 for Ctrl-C), as a shell reports it.
 */
export class InterruptedError extends CliError {
  readonly code = 'ERR_INTERRUPTED';
  readonly exitCode: number;

  constructor(
    readonly signal: NodeJS.Signals,
    readonly step: Step,
  ) {
    super(`Interrupted (${signal}) before ${step} finished.`);
    this.name = 'InterruptedError';
    this.exitCode = 128 + constants.signals[signal];
  }
}
