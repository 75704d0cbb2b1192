import { describe, expect, it } from 'vitest';
import { usage } from './args.js';
import { runCli } from './main.js';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd: process.cwd(),
  });
  return { exitCode, stdout, stderr };
}

describe('runCli', () => {
  it('prints the usage for --help and exits 0', async () => {
    expect(await run(['--help'])).toEqual({ exitCode: 0, stdout: `${usage}\n`, stderr: '' });
  });

  it('exits 2 with the problem and the usage for a flag it does not know, before doing any work', async () => {
    const { exitCode, stdout, stderr } = await run(['--quik']);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Unknown option '--quik'/);
    expect(stderr).toContain(usage);
  });
});
