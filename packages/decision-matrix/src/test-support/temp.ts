import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

/** A fresh directory under the OS temp dir, removed when the current test finishes. */
export async function tempDir(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'decision-matrix-'));
  onTestFinished(() => rm(directory, { recursive: true, force: true }));
  return directory;
}
