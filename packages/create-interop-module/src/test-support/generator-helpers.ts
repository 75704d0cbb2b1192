import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generatorsEntry } from '../generators.js';

/** generators/dotfiles.js, typed for tests. */
export interface DotfilesModule {
  dotfileNames: Readonly<Record<string, string>>;
  templateSuffix: string;
  generatedPath(templatePath: string): string;
}

/** generators/template-files.js, typed for tests. */
export interface TemplateFilesModule {
  listTemplateFiles(directory: string): Promise<string[]>;
  isBuildOutput(relativePath: string): boolean;
}

/** generators/package-name.js, typed for tests. */
export interface PackageNameModule {
  packageNameProblem(name: unknown): string | undefined;
  binaryNameOf(packageName: string): string;
  crateNameOf(binaryName: string): string;
}

/** generators/companion-crate.js, typed for tests. */
export interface CompanionCrateModule {
  companionCrateDir: string;
  vendoredCrateDir: string;
  companionCrateFiles(directory?: string): Promise<string[]>;
  usesVendoredCrate(cargoManifest: string): boolean;
}

function importBeside<T>(file: string, entry: string): Promise<T> {
  return import(pathToFileURL(path.join(path.dirname(entry), file)).href) as Promise<T>;
}

/**
 * The same helper modules the generators use, from the generators copy the CLI loads (or
 * `entry`), and the templates folder that copy reads.
 */
export async function loadGeneratorHelpers(entry = generatorsEntry()) {
  return {
    templatesDir: path.resolve(path.dirname(entry), '..', 'templates'),
    dotfiles: await importBeside<DotfilesModule>('dotfiles.js', entry),
    templateFiles: await importBeside<TemplateFilesModule>('template-files.js', entry),
    packageName: await importBeside<PackageNameModule>('package-name.js', entry),
    companionCrate: await importBeside<CompanionCrateModule>('companion-crate.js', entry),
  };
}
