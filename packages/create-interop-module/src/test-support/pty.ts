import { spawn } from 'node:child_process';
import { shellWord } from '../next-steps.js';

export interface PtyRun {
  /** Sends keys as typed on the terminal ('\x03' is Ctrl-C). */
  type(keys: string): void;
  /** Everything the command wrote to the terminal so far, with "\r\n" as "\n". */
  output(): string;
  /** The command's exit code; rejects if it has not exited within `timeoutMs` (the run is then killed). */
  exited: Promise<number | null>;
}

/**
 * Runs `argv` in a pseudo-terminal through util-linux `script`, so stdin and stdout are a TTY and
 * Ctrl-C goes through the terminal's line discipline, as it does for a user: a SIGINT to the
 * foreground process group, unless the program put the terminal in raw mode.
 */
export function runInPty(argv: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): PtyRun {
  const timeoutMs = options.timeoutMs ?? 20_000;
  // -q: no banner; -f: flush at once; -e: exit with the command's exit code; /dev/null: no typescript file.
  const child = spawn('script', ['-qfec', argv.map(shellWord).join(' '), '/dev/null'], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${argv.join(' ')} did not exit within ${timeoutMs} ms; its output:\n${output}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return {
    type: (keys) => child.stdin.write(keys),
    output: () => output.replaceAll('\r\n', '\n'),
    exited,
  };
}
