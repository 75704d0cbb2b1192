import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

// A consumer's stack traces and debugger follow each published .js.map to its sources; those
// must be in the map (sourcesContent) or in the package, or the trail ends at a missing file.

const packagesDir = fileURLToPath(new URL('../../', import.meta.url));

/** The files `npm pack` would publish from a package folder (built by the global setup). */
async function packedFiles(packageDir: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: packageDir });
  const [packed] = JSON.parse(stdout) as { files: { path: string }[] }[];
  if (packed === undefined) throw new Error(`npm pack printed nothing for ${packageDir}`);
  return packed.files.map((file) => file.path);
}

interface SourceMap {
  sources: string[];
  sourcesContent?: (string | null)[];
}

describe.each(['create-interop-module', 'runtime'])('the published %s package', (folder) => {
  test('every source map reaches its sources', async () => {
    const packageDir = path.join(packagesDir, folder);
    const files = await packedFiles(packageDir);
    const maps = files.filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(0);
    const unreachable: string[] = [];
    for (const mapFile of maps) {
      const map = JSON.parse(await readFile(path.join(packageDir, mapFile), 'utf8')) as SourceMap;
      map.sources.forEach((source, index) => {
        const embedded = typeof map.sourcesContent?.[index] === 'string';
        const shipped = files.includes(path.posix.join(path.posix.dirname(mapFile), source));
        if (!embedded && !shipped) unreachable.push(`${mapFile} -> ${source}`);
      });
    }
    expect(unreachable).toEqual([]);
  });
});
