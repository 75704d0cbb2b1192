import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { assertDestinationWritable, existingFiles } from './destination.js';
import { UsageError } from './errors.js';
import { tempDir } from './test-support/temp.js';

async function problemWith(directory: string): Promise<UsageError> {
  const started = performance.now();
  const error = await assertDestinationWritable(directory).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  // The defect this guards: Node's recursive mkdir loops forever on /proc/nope.
  expect(performance.now() - started).toBeLessThan(2_000);
  expect(error).toBeInstanceOf(UsageError);
  expect(error).toMatchObject({ code: 'ERR_DESTINATION_UNWRITABLE', exitCode: 2 });
  return error as UsageError;
}

// Tests run as root here, where permission bits do not stop anything: /proc and /sys refuse new
// entries whoever asks, and a path under a regular file cannot exist for anyone.
describe('assertDestinationWritable', () => {
  test('a path under /proc is refused at once', async () => {
    const error = await problemWith('/proc/nope');
    expect(error.message).toMatch(/^Cannot create \/proc\/nope: nothing can be created in \/proc \(E[A-Z]+\)/);
  });

  test('a deeper path under /sys is refused at the nearest existing parent', async () => {
    const error = await problemWith('/sys/kernel/nope/deeper');
    expect(error.message).toMatch(/nothing can be created in \/sys\/kernel \(E[A-Z]+\)/);
  });

  test('a path whose parent is a regular file is refused', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'file.txt'), 'not a directory\n');
    const error = await problemWith(path.join(dir, 'file.txt', 'demo'));
    expect(error.message).toContain(`${path.join(dir, 'file.txt')} is not a directory`);
  });

  test('a new directory in a writable parent passes, and nothing is left behind', async () => {
    const dir = await tempDir();
    await assertDestinationWritable(path.join(dir, 'a', 'b'));
    expect(await readdir(dir)).toEqual([]);
  });

  test('an existing empty directory passes', async () => {
    const dir = await tempDir();
    await assertDestinationWritable(dir);
    expect(await readdir(dir)).toEqual([]);
  });
});

test('existingFiles lists which of the given files are already there', async () => {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'src'));
  await writeFile(path.join(dir, 'src', 'index.ts'), '');
  await writeFile(path.join(dir, 'keep.txt'), '');
  expect(existingFiles(dir, ['package.json', path.join('src', 'index.ts')])).toEqual([path.join('src', 'index.ts')]);
});
