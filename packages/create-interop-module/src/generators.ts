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

/** generators/dotfiles.js, typed. */
export interface DotfilesModule {
  dotfileNames: Readonly<Record<string, string>>;
  templateSuffix: string;
  generatedPath(templatePath: string): string;
}

/** generators/template-files.js, typed. */
export interface TemplateFilesModule {
  listTemplateFiles(directory: string): Promise<string[]>;
  isBuildOutput(relativePath: string): boolean;
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

/** A helper module that sits beside generators/index.js (`entry`). */
export function importBeside<T>(file: string, entry = generatorsEntry()): Promise<T> {
  return import(pathToFileURL(path.join(path.dirname(entry), file)).href) as Promise<T>;
}

/** The templates folder the generators at `entry` read. */
export function templatesDirOf(entry = generatorsEntry()): string {
  return path.resolve(path.dirname(entry), '..', 'templates');
}

/** The files (relative paths, sorted) that generating `kind` writes: each layer's files, renamed as the generators do. */
export async function plannedFiles(kind: string): Promise<string[]> {
  const [generators, templateFiles, dotfiles] = await Promise.all([
    loadGenerators(),
    importBeside<TemplateFilesModule>('template-files.js'),
    importBeside<DotfilesModule>('dotfiles.js'),
  ]);
  const files = new Set<string>();
  for (const layer of generators.layersOf(kind)) {
    for (const file of await templateFiles.listTemplateFiles(path.join(templatesDirOf(), layer))) files.add(dotfiles.generatedPath(file));
  }
  return [...files].sort();
}
