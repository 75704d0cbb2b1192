/** Where things are: this checkout, the engine and runtime it packs, the package cache, the outputs. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const requireHere = createRequire(import.meta.url);

/** The same from src/ (tests) and dist/ (the built command): both sit one level below the package. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The CLI workspace: its built bin generates the packages, its assets/ are the templates it uses. */
export const cliRoot = path.dirname(requireHere.resolve('create-interop-module/package.json'));
export const runtimeRoot = path.dirname(requireHere.resolve('@interop-module/runtime/package.json'));

/** Generated packages, the packed runtime, the lock and quick runs' output live here, never committed. */
export const cacheRoot = path.join(repoRoot, 'node_modules', '.cache', 'interop-module', 'matrix');

/** The committed report, which README.md shows. */
export const committedOutDir = path.join(repoRoot, 'bench', 'matrix');
export const readmeFile = path.join(repoRoot, 'README.md');

export const reportFileNames = { markdown: 'latest.md', json: 'latest.json', svg: 'latest.svg' } as const;
