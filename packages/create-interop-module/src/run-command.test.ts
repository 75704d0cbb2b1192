import { existsSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stillRunningAfter } from '@interop-module/runtime/testing';
import { describe, expect, test } from 'vitest';
import { CommandFailedError } from './errors.js';
import { runCommand } from './run-command.js';
import { fakePackageManager, hangingPids } from './test-support/fake-package-manager.js';
import { tempDir } from './test-support/temp.js';

describe('runCommand', () => {
  test('resolves when the command exits 0', async () => {
    await expect(runCommand('sh', ['-c', 'exit 0'], { cwd: await tempDir() })).resolves.toBeUndefined();
  });

  test('a non-zero exit is a CommandFailedError with the tail of its output', async () => {
    const pending = runCommand('sh', ['-c', 'echo out; echo err >&2; exit 4'], { cwd: await tempDir() });
    await expect(pending).rejects.toBeInstanceOf(CommandFailedError);
    await expect(pending).rejects.toMatchObject({ outcome: { exitCode: 4, signal: null }, output: 'out\nerr' });
  });

  test('a command that cannot start is a CommandFailedError saying so', async () => {
    const pending = runCommand('no-such-command-here', [], { cwd: await tempDir() });
    await expect(pending).rejects.toThrow(/`no-such-command-here` could not start/);
  });

  test('aborting ends the command and the process it started, then rejects with the reason', async () => {
    const fake = await fakePackageManager({ hangOn: 'install' });
    const controller = new AbortController();
    const pending = runCommand(fake.command, ['install'], { cwd: await tempDir(), signal: controller.signal });
    const pids = await hangingPids(fake.pidsFile);
    controller.abort('SIGINT');
    await expect(pending).rejects.toBe('SIGINT');
    expect(await stillRunningAfter(pids, 2_000)).toEqual([]);
  });

  test('a group that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const dir = await tempDir();
    const pidsFile = path.join(dir, 'pids');
    const script = path.join(dir, 'stubborn');
    await writeFile(
      script,
      `#!/bin/sh\ntrap '' TERM\nsh -c "trap '' TERM; sleep 300" &\necho "$$ $!" > "${pidsFile}.tmp"; mv "${pidsFile}.tmp" "${pidsFile}"\nwait\n`,
    );
    await chmod(script, 0o755);
    const controller = new AbortController();
    const pending = runCommand(script, [], { cwd: dir, signal: controller.signal, graceMs: 200 });
    const pids = await hangingPids(pidsFile);
    const started = performance.now();
    controller.abort('SIGINT');
    await expect(pending).rejects.toBe('SIGINT');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await stillRunningAfter(pids, 1_000)).toEqual([]);
  });

  test('an already aborted signal starts nothing', async () => {
    const fake = await fakePackageManager();
    const controller = new AbortController();
    controller.abort('SIGTERM');
    await expect(runCommand(fake.command, ['install'], { cwd: await tempDir(), signal: controller.signal })).rejects.toBe('SIGTERM');
    expect(existsSync(fake.log)).toBe(false);
  });
});
