// `npm run scaffold -- <dir> [flags]`: builds the CLI and the runtime from this checkout and runs the CLI.
// Until @interop-module/runtime is on the registry, a package it creates gets the runtime packed here,
// which the generator copies into its vendor/ (a relative file: spec: the package is self-contained).
// Pass your own --runtime (a version range) to override.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The CLI's arguments for the scaffold's: a command that creates a package without its own
 * --runtime gets `--runtime <packRuntime()>`; `doctor`, `add`, `--help` and `--version` are passed as
 * they are (they take no --runtime).
 * @param {readonly string[]} args
 * @param {() => string} packRuntime packs the runtime, returns the tarball's path
 * @returns {string[]}
 */
export function cliArguments(args, packRuntime) {
  const createsPackage = args[0] !== 'doctor' && args[0] !== 'add' && !args.some((arg) => ['--help', '-h', '--version', '-v'].includes(arg));
  const hasRuntime = args.some((arg) => arg === '--runtime' || arg.startsWith('--runtime='));
  return createsPackage && !hasRuntime ? [...args, '--runtime', packRuntime()] : [...args];
}

function main() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const run = (command, args, options = {}) => {
    const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
    if (result.status !== 0) process.exit(result.status ?? 1);
    return result;
  };

  run(process.execPath, ['scripts/bootstrap.mjs']);
  run('npx', ['turbo', 'run', 'build', '--filter=create-interop-module', '--filter=@interop-module/runtime', '--output-logs=errors-only']);

  const args = cliArguments(process.argv.slice(2), () => {
    const packDir = fileURLToPath(new URL('../node_modules/.cache/interop-module/', import.meta.url));
    mkdirSync(packDir, { recursive: true });
    const packed = run('npm', ['pack', '--silent', '--workspace', '@interop-module/runtime', '--pack-destination', packDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return `${packDir}${packed.stdout.toString().trim().split('\n').pop()}`;
  });
  // The user's relative paths are relative to where they ran npm, not to this checkout.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  run(process.execPath, [fileURLToPath(new URL('../packages/create-interop-module/dist/cli.js', import.meta.url)), ...args], { cwd });
}

// Run as a script, not when a test imports cliArguments.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
