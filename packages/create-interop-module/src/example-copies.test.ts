// The examples carry some files exactly as a generated package has them (their tests, configs, test
// entry). Each lists them in template-copies.json; this proves every one equals a freshly generated copy,
// so a template change cannot leave an example behind.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createModule } from './api.js';
import { tempDir } from './test-support/temp.js';

const examplesDir = fileURLToPath(new URL('../../../examples/', import.meta.url));
const examples = readdirSync(examplesDir).filter((name) =>
  readdirSync(path.join(examplesDir, name)).includes('template-copies.json'),
);

describe.each(examples)('examples/%s', (example) => {
  it('carries its template copies exactly as a freshly generated package has them', async () => {
    const exampleDir = path.join(examplesDir, example);
    const { kind, files } = JSON.parse(await readFile(path.join(exampleDir, 'template-copies.json'), 'utf8')) as {
      kind: string;
      files: string[];
    };
    const directory = path.join(await tempDir(), 'generated');
    await createModule({
      kind,
      name: `example-${example}`,
      directory,
      displayDirectory: directory,
      description: example,
      install: false,
      packageManager: 'npm',
      force: false,
      preflight: false,
    });
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const [carried, generated] = await Promise.all([
        readFile(path.join(exampleDir, file), 'utf8'),
        readFile(path.join(directory, file), 'utf8'),
      ]);
      expect(carried, `examples/${example}/${file} differs from a generated ${kind} package's`).toBe(generated);
    }
  });
});
