import { runCli, type CliEnvironment } from '../main.js';
import { tempDir } from './temp.js';

/** Runs runCli in-process with captured output and no terminal, in a fresh temp dir unless told otherwise. */
export async function runInProcess(argv: string[], overrides: Partial<CliEnvironment> = {}) {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdinIsTTY: false,
    env: {},
    cwd: await tempDir(),
    ...overrides,
  });
  return { exitCode, stdout, stderr };
}
