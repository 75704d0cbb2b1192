import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { createModule } from './api.js';
import { InterruptedError, PromptCancelledError } from './errors.js';
import { loadGenerators } from './generators.js';
import type { Prompter } from './prompts.js';
import { rustupMachine } from './test-support/fake-probe.js';
import { runInProcess } from './test-support/run-cli.js';
import { tempDir } from './test-support/temp.js';

const packageRoot = fileURLToPath(new URL('../', import.meta.url));
const builtBin = path.join(packageRoot, 'dist', 'cli.js');
const manifest = JSON.parse(await readFile(path.join(packageRoot, 'package.json'), 'utf8'));
const generators = await loadGenerators();

/**
 * Runs the built bin with stdin a pipe that is never written to or closed, so a prompt would
 * wait forever; the time limit turns such a hang into a failure.
 */
function runBin(argv: string[], cwd: string, timeoutMs = 15_000) {
  return new Promise<{ exitCode: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [builtBin, ...argv], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`create-interop-module ${argv.join(' ')} did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}

describe('the built bin', () => {
  test('--help prints usage with every kind and exits 0', async () => {
    const { exitCode, stdout } = await runBin(['--help'], await tempDir());
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^Usage: create-interop-module \[dir\]/);
    expect(stdout).toContain(`--kind <kind>          backend: ${generators.listKinds().join(', ')}`);
  });

  test('--version prints the package version and exits 0', async () => {
    const { exitCode, stdout } = await runBin(['--version'], await tempDir());
    expect(exitCode).toBe(0);
    expect(stdout).toBe(`${manifest.version}\n`);
  });

  test('without a terminal and without --kind it exits 2 at once instead of waiting', async () => {
    const cwd = await tempDir();
    const started = Date.now();
    const { exitCode, stderr } = await runBin(['demo'], cwd);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/Missing --kind/);
    expect(stderr).toContain('Run create-interop-module --help for usage.');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('a target under /proc exits 2 at once with a usage error, instead of hanging', async () => {
    const { exitCode, stderr } = await runBin(['/proc/nope', '--kind', 'pure', '--yes', '--no-install'], await tempDir(), 10_000);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/^Cannot create \/proc\/nope: nothing can be created in \/proc/);
  });

  test('an unknown flag exits 2', async () => {
    const { exitCode, stderr } = await runBin(['demo', '--kind', 'pure', '--nope'], await tempDir());
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/--nope/);
  });

  test('generates a package with --yes --no-install and prints the next steps', async () => {
    const cwd = await tempDir();
    const { exitCode, stdout, stderr } = await runBin(['my-mod', '--kind', 'pure', '--yes', '--no-install'], cwd);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Next steps:\n  cd my-mod\n  npm install\n  npm test\n  npm run bench\n');
    const generated = JSON.parse(await readFile(path.join(cwd, 'my-mod', 'package.json'), 'utf8'));
    expect(generated.name).toBe('my-mod');
  });
});

describe('runCli exit codes', () => {
  test('an unexpected error exits 1 with the report line', async () => {
    const failing: typeof createModule = () => Promise.reject(new TypeError('cannot read properties of undefined'));
    const { exitCode, stderr } = await runInProcess(['demo', '--kind', 'pure'], { createModule: failing });
    expect(exitCode).toBe(1);
    expect(stderr).toContain('TypeError: cannot read properties of undefined');
    expect(stderr).toContain(`This is a bug in create-interop-module, please report it: ${manifest.bugs.url}`);
  });

  test('a known failure (non-empty directory) exits 1 with its message and no report line', async () => {
    const cwd = await tempDir();
    await runInProcess(['demo', '--kind', 'pure', '--no-install'], { cwd });
    const { exitCode, stderr } = await runInProcess(['demo', '--kind', 'pure', '--no-install'], { cwd });
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/demo is not empty/);
    expect(stderr).not.toContain('This is a bug');
  });

  test('a usage error exits 2', async () => {
    const { exitCode, stderr } = await runInProcess(['demo', '--kind', 'pure', '--name', 'Bad/Name']);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/^Invalid package name/);
  });

  test('next steps cd to an absolute path as typed, not to a path relative to cwd', async () => {
    const target = path.join(await tempDir(), 'ux', 'a');
    const { exitCode, stdout } = await runInProcess([target, '--kind', 'pure', '--no-install']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain(`Next steps:\n  cd ${target}\n`);
  });

  test('a missing package manager exits 2 with doctor’s advice, and nothing is written', async () => {
    const cwd = await tempDir();
    const { exitCode, stderr } = await runInProcess(['demo', '--kind', 'pure', '--pm', 'pnpm'], { cwd, probe: rustupMachine });
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/^Cannot install and build a pure package here: missing pnpm\.\nmissing     pnpm: not found\n\s+fix: /);
    expect(await readdir(cwd)).toEqual([]);
  });

  test('--force lists the files it replaces, and without a terminal goes ahead', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'package.json'), '{}\n');
    await writeFile(path.join(cwd, 'notes.txt'), 'mine\n');
    const { exitCode, stdout } = await runInProcess(['.', '--kind', 'pure', '--name', 'demo', '--force', '--no-install'], { cwd });
    expect(exitCode).toBe(0);
    expect(stdout).toContain(`--force: 1 existing file in ${cwd} will be replaced:\n  package.json\n`);
    expect(JSON.parse(await readFile(path.join(cwd, 'package.json'), 'utf8')).name).toBe('demo');
  });

  test('--force on a terminal asks first; no exits 1 with nothing written', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'package.json'), '{}\n');
    const prompter = { confirmOverwrite: () => Promise.resolve(false) } as unknown as Prompter;
    const { exitCode, stderr } = await runInProcess(['.', '--kind', 'pure', '--name', 'demo', '--description', 'd', '--force', '--no-install'], {
      cwd,
      stdinIsTTY: true,
      prompter,
    });
    expect(exitCode).toBe(1);
    expect(stderr).toBe(`Nothing was written: you chose not to overwrite files in ${cwd}.\n`);
    expect(await readdir(cwd)).toEqual(['package.json']);
  });

  test('Ctrl-C at a question exits 130', async () => {
    const prompter = { kind: () => Promise.reject(new PromptCancelledError()) } as unknown as Prompter;
    const { exitCode, stderr } = await runInProcess(['demo'], { stdinIsTTY: true, prompter });
    expect(exitCode).toBe(130);
    expect(stderr).toBe('Cancelled; nothing was written.\n');
  });

  test('an interrupted build exits with 128 + the signal and says how to finish, with the chosen package manager', async () => {
    const interrupted: typeof createModule = () => Promise.reject(new InterruptedError('SIGTERM', 'build'));
    const { exitCode, stderr } = await runInProcess(['../my mod', '--kind', 'pure', '--name', 'demo', '--pm', 'pnpm'], {
      createModule: interrupted,
    });
    expect(exitCode).toBe(143);
    expect(stderr).toContain('Interrupted (SIGTERM). The build did not finish; `pnpm run build` and everything it started were stopped.');
    expect(stderr).toContain("To finish:\n  cd '../my mod' && pnpm run build\n");
  });

  test('next steps use the detected package manager and the path relative to cwd', async () => {
    const cwd = await tempDir();
    const { exitCode, stdout } = await runInProcess(['nested/demo', '--kind', 'pure', '--no-install'], {
      cwd,
      env: { npm_config_user_agent: 'pnpm/9.12.0 npm/? node/v20.17.0 linux x64' },
    });
    expect(exitCode).toBe(0);
    expect(stdout).toContain(`Next steps:\n  cd ${path.join('nested', 'demo')}\n  pnpm install\n  pnpm test\n  pnpm run bench\n`);
  });
});
