import { generatorsEntry, importGeneratorModule } from '../generators.js';

/**
 * The helper modules the generators use, from the generators copy the CLI loads (or `entry`), and
 * the templates folder that copy reads.
 */
export async function loadGeneratorHelpers(entry = generatorsEntry()) {
  return {
    templatesDir: (await importGeneratorModule('kinds.js', entry)).templatesDir,
    dotfiles: await importGeneratorModule('dotfiles.js', entry),
    templateFiles: await importGeneratorModule('template-files.js', entry),
    companionCrate: await importGeneratorModule('companion-crate.js', entry),
  };
}
