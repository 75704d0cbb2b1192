import type { CreateModuleResult } from './api.js';
import type { InterruptedError } from './errors.js';
import type { ModuleOptions } from './options.js';

/** `text` as one word for a POSIX shell: as it is when that is safe, else single-quoted. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** `cd` into the package the way the user named it: a relative path stays relative, an absolute one absolute. */
function cdCommand(options: ModuleOptions): string {
  return `cd ${shellWord(options.displayDirectory)}`;
}

export function nextSteps(options: ModuleOptions, result: CreateModuleResult): string {
  const pm = options.packageManager;
  const commands = [cdCommand(options), ...(options.install ? [] : [`${pm} install`]), `${pm} test`, `${pm} run bench`];
  return `Created ${options.name} (${options.kind}) with ${result.files.length} files in ${result.directory}.\n\nNext steps:\n${commands.map((command) => `  ${command}\n`).join('')}`;
}

/** After an interrupt: what was stopped, what is on disk, and the commands that finish the job. */
export function resumeInstructions(error: InterruptedError, options: ModuleOptions): string {
  const pm = options.packageManager;
  const heading = `Interrupted (${error.signal}).`;
  switch (error.step) {
    case 'generate':
      return `${heading} Nothing was written.\n`;
    case 'install':
      return (
        `${heading} The install did not finish; \`${pm} install\` and everything it started were stopped.\n` +
        `Left on disk: ${options.directory} with the generated files; dependencies may be partly installed, nothing is built.\n` +
        `To finish:\n  ${cdCommand(options)} && ${pm} install && ${pm} run build\n`
      );
    case 'build':
      return (
        `${heading} The build did not finish; \`${pm} run build\` and everything it started were stopped.\n` +
        `Left on disk: ${options.directory} with the generated files and its dependencies installed; the build is incomplete.\n` +
        `To finish:\n  ${cdCommand(options)} && ${pm} run build\n`
      );
  }
}
