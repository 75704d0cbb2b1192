import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The generator modules (JavaScript in generators/, typed by their JSDoc), by file name. The CLI
 * loads them at run time from the copy generatorsEntry() picks; their types are the repository's.
 */
interface GeneratorModules {
  'index.js': typeof import('../../../generators/index.js');
  'kinds.js': typeof import('../../../generators/kinds.js');
  'dotfiles.js': typeof import('../../../generators/dotfiles.js');
  'template-files.js': typeof import('../../../generators/template-files.js');
  'package-name.js': typeof import('../../../generators/package-name.js');
  'companion-crate.js': typeof import('../../../generators/companion-crate.js');
}

export type GeneratorsModule = GeneratorModules['index.js'];
export type { KindFacts, Toolchain } from '../../../generators/kinds.js';

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
  loaded ??= importGeneratorModule('index.js');
  return loaded;
}

/** One of the generator modules, from the copy whose index.js is `entry`. */
export function importGeneratorModule<File extends keyof GeneratorModules>(file: File, entry = generatorsEntry()): Promise<GeneratorModules[File]> {
  return import(pathToFileURL(path.join(path.dirname(entry), file)).href) as Promise<GeneratorModules[File]>;
}

/**
 * The files (relative paths, sorted) that generating `kind` writes: each layer's files, renamed as the
 * generators do, and the companion crate's when the package's Cargo.toml depends on its vendored copy.
 */
export async function plannedFiles(kind: string): Promise<string[]> {
  const [generators, kinds, templateFiles, dotfiles, companionCrate] = await Promise.all([
    loadGenerators(),
    importGeneratorModule('kinds.js'),
    importGeneratorModule('template-files.js'),
    importGeneratorModule('dotfiles.js'),
    importGeneratorModule('companion-crate.js'),
  ]);
  const sources = new Map<string, string>();
  for (const layer of generators.layersOf(kind)) {
    const layerDir = path.join(kinds.templatesDir, layer);
    for (const file of await templateFiles.listTemplateFiles(layerDir)) sources.set(dotfiles.generatedPath(file), path.join(layerDir, file));
  }
  const cargoManifest = sources.get('Cargo.toml');
  const vendored =
    cargoManifest !== undefined && companionCrate.usesVendoredCrate(await readFile(cargoManifest, 'utf8')) ? await companionCrate.companionCrateFiles() : [];
  return [...sources.keys(), ...vendored.map((file) => path.join(companionCrate.vendoredCrateDir, file))].sort();
}
