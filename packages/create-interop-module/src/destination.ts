import { existsSync } from 'node:fs';
import { mkdtemp, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './errors.js';

// A stalled network mount must not stall the CLI: past this, the target counts as unusable.
const defaultTimeoutMs = 5_000;

/** `directory` and each of its parents up to the root, nearest first. */
function selfAndAncestors(directory: string): string[] {
  const chain = [path.resolve(directory)];
  for (let parent = path.dirname(chain[0]!); parent !== chain.at(-1); parent = path.dirname(parent)) chain.push(parent);
  return chain;
}

async function findProblem(directory: string): Promise<string | undefined> {
  for (const candidate of selfAndAncestors(directory)) {
    let stats;
    try {
      stats = await stat(candidate);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Not there (or under a file): the package would be created inside an ancestor; look there.
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      return `${candidate} cannot be read (${code})`;
    }
    if (!stats.isDirectory()) return `${candidate} is not a directory`;
    // Creating something is the only test that holds for root too, and in /proc or /sys, where
    // permissions say "writable" and recursive mkdir loops forever.
    try {
      await rmdir(await mkdtemp(path.join(candidate, '.create-interop-module-')));
      return undefined;
    } catch (error) {
      return `nothing can be created in ${candidate} (${(error as NodeJS.ErrnoException).code})`;
    }
  }
  return 'no parent directory exists';
}

/**
 * Fails with ERR_DESTINATION_UNWRITABLE (exit 2) unless the package can be created at `directory`:
 * its nearest existing parent (or itself) must be a directory we can create things in. Answers
 * within `timeoutMs`; leaves nothing behind.
 */
export async function assertDestinationWritable(directory: string, timeoutMs = defaultTimeoutMs): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`checking it took longer than ${timeoutMs / 1000} s`), timeoutMs);
  });
  const problem = await Promise.race([findProblem(directory), timedOut]).finally(() => clearTimeout(timer));
  if (problem !== undefined) {
    throw new UsageError(`Cannot create ${directory}: ${problem}. Choose a directory you can write to.`, 'ERR_DESTINATION_UNWRITABLE');
  }
}

/** Of the files a package is made of (relative paths), those that already exist in `directory`. */
export function existingFiles(directory: string, files: readonly string[]): string[] {
  return files.filter((file) => existsSync(path.join(directory, file)));
}
