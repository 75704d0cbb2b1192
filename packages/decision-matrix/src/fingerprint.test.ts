import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint.js';
import { tempDir } from './test-support/temp.js';

async function tree(files: Record<string, string>): Promise<string> {
  const root = await tempDir();
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
  return root;
}

describe('fingerprint', () => {
  it('is stable, and changes with a file\'s content, a new file, or the salt', async () => {
    const root = await tree({ 'a.txt': 'one', 'sub/b.txt': 'two' });
    const first = await fingerprint([{ path: root }], 'v1');
    expect(await fingerprint([{ path: root }], 'v1')).toBe(first);
    expect(await fingerprint([{ path: root }], 'v2')).not.toBe(first);

    await writeFile(path.join(root, 'sub/b.txt'), 'three');
    const changed = await fingerprint([{ path: root }], 'v1');
    expect(changed).not.toBe(first);
    await writeFile(path.join(root, 'sub/c.txt'), '');
    expect(await fingerprint([{ path: root }], 'v1')).not.toBe(changed);
  });

  it('ignores excluded files and takes a single file as a source', async () => {
    const root = await tree({ 'keep.js': 'x', 'skip.test.js': 'y' });
    const exclude = (file: string) => file.includes('.test.');
    const before = await fingerprint([{ path: root, exclude }], '');
    await writeFile(path.join(root, 'skip.test.js'), 'changed');
    expect(await fingerprint([{ path: root, exclude }], '')).toBe(before);

    const single = await fingerprint([{ path: path.join(root, 'keep.js') }], '');
    await writeFile(path.join(root, 'keep.js'), 'z');
    expect(await fingerprint([{ path: path.join(root, 'keep.js') }], '')).not.toBe(single);
  });

  it('throws for a source that does not exist', async () => {
    const root = await tempDir();
    await expect(fingerprint([{ path: path.join(root, 'missing') }], '')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
