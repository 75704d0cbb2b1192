import { spawn } from 'node:child_process';
import { appendFile } from 'node:fs/promises';

/** A command exited non-zero, could not start, or ran past its time limit. */
export class CommandFailedError extends Error {
  constructor(
    readonly command: readonly string[],
    readonly reason: string,
    readonly outputTail: string,
  ) {
    super(`\`${command.join(' ')}\` ${reason}${outputTail === '' ? '' : `:\n${outputTail}`}`);
    this.name = 'CommandFailedError';
  }
}

export interface CommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Everything the command prints is appended here as well. */
  logFile: string;
}

// Enough of a failed build's output to see its error without flooding the terminal.
const tailChars = 8 * 1024;

/** Runs a command without a shell and without stdin; resolves with its stdout. */
export function runCommand(command: string, args: readonly string[], options: CommandOptions): Promise<string> {
  const argv = [command, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let tail = '';
    let logging = appendFile(options.logFile, `\n$ ${argv.join(' ')}  (in ${options.cwd})\n`);
    const collect = (isStdout: boolean) => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (isStdout) stdout += text;
      tail = (tail + text).slice(-tailChars);
      logging = logging.then(() => appendFile(options.logFile, text));
    };
    child.stdout.on('data', collect(true));
    child.stderr.on('data', collect(false));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new CommandFailedError(argv, `could not start (${error.message})`, ''));
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      void logging.finally(() => {
        if (exitCode === 0) resolve(stdout);
        else if (timedOut) reject(new CommandFailedError(argv, `ran past ${options.timeoutMs / 1000} s and was stopped`, tail.trim()));
        else reject(new CommandFailedError(argv, `exited with ${exitCode ?? signal}`, tail.trim()));
      });
    });
  });
}
