import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runInProcess } from './test-support/run-cli.js';
import { tempDir } from './test-support/temp.js';

// scripts/scaffold.mjs (`npm run scaffold -- ...` in the repository) packs the runtime and passes
// it to the CLI as --runtime, but only to a command that creates a package.
const { cliArguments } = (await import(new URL('../../../scripts/scaffold.mjs', import.meta.url).href)) as {
  cliArguments(args: readonly string[], packRuntime: () => string): string[];
};

const notPacked = () => {
  throw new Error('packed the runtime for a command that does not need it');
};

describe('npm run scaffold -- <args>: the CLI accepts what it passes on', () => {
  test.each([[['doctor', '--kind', 'pure']], [['doctor']], [['--help']], [['-v']], [['add', '--help']]])('%j runs as given (exit 0)', async (args) => {
    const argv = cliArguments(args, notPacked);
    expect(argv).toEqual(args);
    const { exitCode, stderr } = await runInProcess(argv, { cwd: process.cwd() });
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
  });

  test('creating a package gets the packed runtime, vendored into it (a relative file: spec)', async () => {
    const cwd = await tempDir();
    const packed = path.join(await tempDir(), 'interop-module-runtime-0.1.0.tgz');
    await writeFile(packed, 'packed runtime');
    const argv = cliArguments(['demo', '--kind', 'pure', '--no-install'], () => packed);
    const { exitCode } = await runInProcess(argv, { cwd });
    expect(exitCode).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(cwd, 'demo', 'package.json'), 'utf8'));
    expect(manifest.dependencies['@interop-module/runtime']).toBe('file:vendor/interop-module-runtime-0.1.0.tgz');
    expect(await readFile(path.join(cwd, 'demo', 'vendor', 'interop-module-runtime-0.1.0.tgz'), 'utf8')).toBe('packed runtime');
  });

  test.each([['--runtime', '^0.2.0'], ['--runtime=^0.2.0']])('a --runtime of its own is kept: %s', (...flag) => {
    expect(cliArguments(['demo', ...flag], notPacked)).toEqual(['demo', ...flag]);
  });
});
