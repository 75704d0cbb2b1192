/**
 * One matrix run at a time: a second run would rebuild packages the first is measuring, and two runs
 * on the same cores would measure each other. The lock is a file holding the owner's pid; a lock whose
 * owner is gone (killed, crashed) is taken over.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MatrixError } from './errors.js';

export interface LockOptions {
  /** How long to wait for another run before giving up. */
  waitMs: number;
  pollMs?: number;
  /** Called once, when the lock is held by another live process. */
  onWait?(ownerPid: number): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ownerOf(lockFile: string): Promise<number | undefined> {
  const text = await readFile(lockFile, 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function acquire(lockFile: string, options: LockOptions): Promise<void> {
  await mkdir(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + options.waitMs;
  let told = false;
  for (;;) {
    try {
      await writeFile(lockFile, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await ownerOf(lockFile);
    // No pid yet (the owner is between creating and writing the file) counts as alive.
    if (owner !== undefined && !isAlive(owner)) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new MatrixError(
        'ERR_CACHE_LOCKED',
        `another matrix run (pid ${owner ?? 'unknown'}) has held ${lockFile} for over ${Math.round(options.waitMs / 1000)} s; ` +
          'wait for it to finish, or delete the file if that process is not a matrix run',
      );
    }
    if (!told && owner !== undefined) options.onWait?.(owner);
    told = true;
    await sleep(options.pollMs ?? 1000);
  }
}

/** Runs `work` holding the lock; releases it however `work` ends. */
export async function withCacheLock<T>(lockFile: string, options: LockOptions, work: () => Promise<T>): Promise<T> {
  await acquire(lockFile, options);
  try {
    return await work();
  } finally {
    if ((await ownerOf(lockFile)) === process.pid) await rm(lockFile, { force: true });
  }
}
