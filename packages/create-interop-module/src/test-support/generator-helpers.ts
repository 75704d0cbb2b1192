import { generatorsEntry, importBeside, templatesDirOf, type CompanionCrateModule, type DotfilesModule, type TemplateFilesModule } from '../generators.js';

/** generators/package-name.js, typed for tests. */
export interface PackageNameModule {
  packageNameProblem(name: unknown): string | undefined;
  binaryNameOf(packageName: string): string;
  crateNameOf(binaryName: string): string;
}

/**
 * The same helper modules the generators use, from the generators copy the CLI loads (or
 * `entry`), and the templates folder that copy reads.
 */
export async function loadGeneratorHelpers(entry = generatorsEntry()) {
  return {
    templatesDir: templatesDirOf(entry),
    dotfiles: await importBeside<DotfilesModule>('dotfiles.js', entry),
    templateFiles: await importBeside<TemplateFilesModule>('template-files.js', entry),
    packageName: await importBeside<PackageNameModule>('package-name.js', entry),
    companionCrate: await importBeside<CompanionCrateModule>('companion-crate.js', entry),
  };
}
