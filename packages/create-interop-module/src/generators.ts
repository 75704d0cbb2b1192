import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
/** generators/companion-crate.js, typed for the CLI and its tests. */
export interface CompanionCrateModule {
  companionCrateDir: string;
  vendoredCrateDir: string;
  companionCrateFiles(directory?: string): Promise<string[]>;
  usesVendoredCrate(cargoManifest: string): boolean;
}

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
  const [generators, templateFiles, dotfiles, companionCrate] = await Promise.all([
    loadGenerators(),
    importBeside<TemplateFilesModule>('template-files.js'),
    importBeside<DotfilesModule>('dotfiles.js'),
    importBeside<CompanionCrateModule>('companion-crate.js'),
  ]);
  const files = new Set<string>();
  let cargoManifest = '';
  for (const layer of generators.layersOf(kind)) {
    const layerDir = path.join(templatesDirOf(), layer);
    for (const file of await templateFiles.listTemplateFiles(layerDir)) {
      files.add(dotfiles.generatedPath(file));
      if (dotfiles.generatedPath(file) === 'Cargo.toml') cargoManifest = await readFile(path.join(layerDir, file), 'utf8');
    }
  }
  // The generator also writes the companion crate where the package's Cargo.toml depends on it.
  if (companionCrate.usesVendoredCrate(cargoManifest)) {
    for (const file of await companionCrate.companionCrateFiles()) files.add(`${companionCrate.vendoredCrateDir}/${file.split(path.sep).join('/')}`);
  }
  return [...files].sort();
}
