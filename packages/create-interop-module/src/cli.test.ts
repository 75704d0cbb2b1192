import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProcessRunning, stillRunningAfter } from '@interop-module/runtime/testing';
import { expect, onTestFinished, test } from 'vitest';
import { fakePackageManager, hangingPids } from './test-support/fake-package-manager.js';
import { runInPty } from './test-support/pty.js';
import { tempDir } from './test-support/temp.js';

const builtBin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

test('Ctrl-C on a terminal during install ends npm and what it started, exits 130 and says how to finish', async () => {
  // A fake `npm install` that starts a child and waits: no network, and pids to look for afterwards.
  const npm = await fakePackageManager({ hangOn: 'install' });
  const cwd = await tempDir();
  const run = runInPty([process.execPath, builtBin, 'demo', '--kind', 'pure', '--yes', '--pm', 'npm'], {
    cwd,
    env: { ...process.env, PATH: npm.path },
  });
  const pids = await hangingPids(npm.pidsFile);
  // Whatever happens below, nothing of this test outlives it.
  onTestFinished(() => {
    for (const pid of pids.filter(isProcessRunning)) process.kill(pid, 'SIGKILL');
  });

  run.type('\x03');
  const exitCode = await run.exited;

  expect(await stillRunningAfter(pids, 2_000)).toEqual([]);
  expect(exitCode).toBe(130);
  const output = run.output();
  expect(output).toContain('Interrupted (SIGINT). The install did not finish; `npm install` and everything it started were stopped.');
  expect(output).toContain(`Left on disk: ${path.join(cwd, 'demo')} with the generated files`);
  expect(output).toContain('To finish:\n  cd demo && npm install && npm run build\n');
  expect(existsSync(path.join(cwd, 'demo', 'package.json'))).toBe(true);
});
