/** Commands the slow tests run as a user would: without a shell, bounded in time, output kept for the failure message. */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface CommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
  seconds: number;
}

export interface CommandOptions {
  env: NodeJS.ProcessEnv;
  /** Told each command's label and duration, for a timing table. */
  onTiming(label: string, seconds: number): void;
  /** Killed after this long (default 5 minutes). */
  timeoutMs?: number;
}

/** Runs a command; resolves whatever its exit code. */
export function runCommand(
  options: CommandOptions,
  label: string,
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 5 * 60 * 1000,
    });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const seconds = (performance.now() - started) / 1000;
      options.onTiming(label, seconds);
      resolve({ exitCode, stdout, stderr, output, seconds });
    });
  });
}

/** Runs a command that must succeed; resolves with its stdout, rejects with the tail of its output. */
export async function runCommandOk(
  options: CommandOptions,
  label: string,
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<string> {
  const result = await runCommand(options, label, command, args, cwd);
  if (result.exitCode !== 0) {
    throw new Error(`${label}: \`${command} ${args.join(' ')}\` in ${cwd} exited ${result.exitCode}\n${result.output.slice(-20_000)}`);
  }
  return result.stdout;
}
