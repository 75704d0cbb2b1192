/**
 * The complexity column, counted rather than judged: non-blank lines of each generated package's own
 * code, and of the runtime entries its code and build scripts rely on beyond the main one every kind
 * shares.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Complexity } from './report/schema.js';

async function filesUnder(dir: string, extensions: readonly string[]): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && extensions.some((extension) => entry.name.endsWith(extension)))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !/\.test\.|[/\\]fixtures[/\\]/.test(file))
    .sort();
}

/** Non-blank lines; a Rust file's trailing `#[cfg(test)]` module is a test, and left out. */
export function countCodeLines(source: string, language: 'typescript' | 'rust' | 'script'): number {
  const lines = source.split('\n');
  const testModule = language === 'rust' ? lines.findIndex((line) => line.trim() === '#[cfg(test)]') : -1;
  return (testModule === -1 ? lines : lines.slice(0, testModule)).filter((line) => line.trim() !== '').length;
}

async function linesOf(files: readonly string[], language: 'typescript' | 'rust' | 'script'): Promise<number> {
  let total = 0;
  for (const file of files) total += countCodeLines(await readFile(file, 'utf8'), language);
  return total;
}

/** `packageDir`: a generated package; `runtimeSrc`: @interop-module/runtime's src/. */
export async function measureComplexity(packageDir: string, runtimeSrc: string): Promise<Complexity> {
  // lib/testing.ts only drives the crash triggers of test builds.
  const libFiles = (await filesUnder(path.join(packageDir, 'lib'), ['.ts'])).filter((file) => path.basename(file) !== 'testing.ts');
  const rustFiles = await filesUnder(path.join(packageDir, 'src'), ['.rs']);
  const scriptFiles = await filesUnder(path.join(packageDir, 'scripts'), ['.mjs', '.js']);
  const entries = new Set<string>();
  for (const file of [...libFiles, ...scriptFiles]) {
    for (const [, entry] of (await readFile(file, 'utf8')).matchAll(/from '@interop-module\/runtime\/([a-z-]+)'/g)) entries.add(entry!);
  }
  const runtimeEntries = [...entries].sort();
  let runtimeLines = 0;
  for (const entry of runtimeEntries) runtimeLines += await linesOf(await filesUnder(path.join(runtimeSrc, entry), ['.ts']), 'typescript');
  return {
    ownLines: {
      typescript: await linesOf(libFiles, 'typescript'),
      rust: await linesOf(rustFiles, 'rust'),
      buildScripts: await linesOf(scriptFiles, 'script'),
    },
    runtimeEntries,
    runtimeLines,
    needsRust: rustFiles.length > 0,
  };
}
