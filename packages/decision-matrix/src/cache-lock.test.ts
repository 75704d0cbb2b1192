import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withCacheLock } from './cache-lock.js';
import { tempDir } from './test-support/temp.js';

/** A pid that is certainly not running: a child that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

describe('withCacheLock', () => {
  it('holds the lock with this pid while the work runs and releases it after, even when the work throws', async () => {
    const lockFile = path.join(await tempDir(), 'nested', '.lock');
    const seen = await withCacheLock(lockFile, { waitMs: 0 }, () => readFile(lockFile, 'utf8'));
    expect(seen.trim()).toBe(String(process.pid));
    await expect(withCacheLock(lockFile, { waitMs: 0 }, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(readFile(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes over a lock whose owner is gone', async () => {
    const lockFile = path.join(await tempDir(), '.lock');
    await writeFile(lockFile, `${await deadPid()}\n`);
    await expect(withCacheLock(lockFile, { waitMs: 0 }, async () => 'ran')).resolves.toBe('ran');
  });

  it('waits for a live owner, then gives up with ERR_CACHE_LOCKED and leaves its lock alone', async () => {
    const lockFile = path.join(await tempDir(), '.lock');
    // The parent of this test process is alive for as long as the test runs.
    await writeFile(lockFile, `${process.ppid}\n`);
    const waitedFor: number[] = [];
    await expect(
      withCacheLock(lockFile, { waitMs: 50, pollMs: 10, onWait: (pid) => waitedFor.push(pid) }, async () => 'ran'),
    ).rejects.toMatchObject({ code: 'ERR_CACHE_LOCKED', exitCode: 1 });
    expect(waitedFor).toEqual([process.ppid]);
    expect((await readFile(lockFile, 'utf8')).trim()).toBe(String(process.ppid));
  });
});
