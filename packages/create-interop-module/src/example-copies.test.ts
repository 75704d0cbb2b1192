// The examples take some files unchanged from a generated package of their kind (tests, configs, the test
// entry, loaders). template-copies.json lists them; scripts/template-copies.mjs writes them at the example's
// build. This proves the script writes exactly what a freshly generated package holds, and that none of
// them is committed: a copy in git could drift from the template, and would be the same code twice.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createModule } from './api.js';
import { tempDir } from './test-support/temp.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const examplesDir = path.join(repoRoot, 'examples');
const script = path.join(repoRoot, 'scripts', 'template-copies.mjs');
const examples = readdirSync(examplesDir).filter((name) =>
  readdirSync(path.join(examplesDir, name)).includes('template-copies.json'),
);

/** The example's kind, and each carried file as [path in the example, path in a generated package]. */
async function templateCopies(exampleDir: string) {
  const { kind, files = [], renamed = {} } = JSON.parse(await readFile(path.join(exampleDir, 'template-copies.json'), 'utf8')) as {
    kind: string;
    files?: string[];
    renamed?: Record<string, string>;
  };
  return { kind, copies: [...files.map((file) => [file, file] as const), ...Object.entries(renamed)] };
}

const git = (args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' });

describe.each(examples)('examples/%s', (example) => {
  const exampleDir = path.join(examplesDir, example);

  it('gets its template copies from a freshly generated package, written by scripts/template-copies.mjs', async () => {
    const { kind, copies } = await templateCopies(exampleDir);
    expect(copies.length).toBeGreaterThan(0);
    const { name } = JSON.parse(await readFile(path.join(exampleDir, 'package.json'), 'utf8')) as { name: string };

    const written = await tempDir();
    for (const file of ['package.json', 'template-copies.json']) copyFileSync(path.join(exampleDir, file), path.join(written, file));
    execFileSync(process.execPath, [script], { cwd: written, stdio: 'pipe' });

    const generated = path.join(await tempDir(), 'generated');
    await createModule({
      kind,
      name,
      directory: generated,
      displayDirectory: generated,
      description: example,
      install: false,
      packageManager: 'npm',
      force: false,
      preflight: false,
    });
    for (const [carried, from] of copies) {
      const [copy, original] = await Promise.all([readFile(path.join(written, carried), 'utf8'), readFile(path.join(generated, from), 'utf8')]);
      expect(copy, `examples/${example}/${carried} differs from a generated ${kind} package's ${from}`).toBe(original);
    }
  });

  it('commits none of them: git ignores every one', async () => {
    const { copies } = await templateCopies(exampleDir);
    const paths = copies.map(([carried]) => path.posix.join('examples', example, carried));
    expect(git(['ls-files', '--', ...paths]).trim(), 'tracked template copies').toBe('');
    // check-ignore prints each path it ignores; --no-index judges the path itself, tracked or not.
    expect(git(['check-ignore', '--no-index', '--', ...paths]).trim().split('\n').sort()).toEqual([...paths].sort());
  });
});
