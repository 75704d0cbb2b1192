import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { NodePlopAPI } from 'node-plop';

/** What the CLI uses from generators/index.js (plain JavaScript, typed here). */
export interface GeneratorsModule {
  default: (plop: NodePlopAPI) => void;
  listKinds(): string[];
  layersOf(kind: string): string[];
  packageNameProblem(name: unknown): string | undefined;
  binaryNameOf(packageName: string): string;
  defaultDescription(kind: string): string;
  assertDestinationUsable(destination: string, force: boolean): Promise<void>;
  GeneratorError: new (code: string, message: string) => Error & { readonly code: string };
}

const packageRoot = fileURLToPath(new URL('../', import.meta.url));
const repoGenerators = path.resolve(packageRoot, '../../generators/index.js');
const assetGenerators = path.join(packageRoot, 'assets', 'generators', 'index.js');

/**
 * generators/index.js to load: the repository's own copy when this package sits in the monorepo
 * (packages/create-interop-module), so development never runs stale assets; otherwise the copy
 * the build put in assets/, which is what an installed package has.
 */
export function generatorsEntry(): string {
  const inMonorepo = path.basename(path.dirname(packageRoot)) === 'packages' && existsSync(repoGenerators);
  return inMonorepo ? repoGenerators : assetGenerators;
}

let loaded: Promise<GeneratorsModule> | undefined;

export function loadGenerators(): Promise<GeneratorsModule> {
  loaded ??= import(pathToFileURL(generatorsEntry()).href) as Promise<GeneratorsModule>;
  return loaded;
}
