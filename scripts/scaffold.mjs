// `npm run scaffold -- <dir> [flags]`: builds the CLI and the runtime from this checkout and runs the CLI.
// Until @interop-module/runtime is on the registry, the generated package installs the runtime from a
// tarball packed here (pass your own --runtime to override).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (command, args, options = {}) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) process.exit(result.status ?? 1);
  return result;
};

run(process.execPath, ['scripts/bootstrap.mjs']);
run('npx', ['turbo', 'run', 'build', '--filter=create-interop-module', '--filter=@interop-module/runtime', '--output-logs=errors-only']);

const args = process.argv.slice(2);
if (!args.some((arg) => arg === '--runtime' || arg.startsWith('--runtime='))) {
  const packDir = fileURLToPath(new URL('../node_modules/.cache/interop-module/', import.meta.url));
  mkdirSync(packDir, { recursive: true });
  const packed = run('npm', ['pack', '--silent', '--workspace', '@interop-module/runtime', '--pack-destination', packDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const tarball = packed.stdout.toString().trim().split('\n').pop();
  args.push('--runtime', `${packDir}${tarball}`);
}
// The user's relative paths are relative to where they ran npm, not to this checkout.
const cwd = process.env.INIT_CWD ?? process.cwd();
run(process.execPath, [fileURLToPath(new URL('../packages/create-interop-module/dist/cli.js', import.meta.url)), ...args], { cwd });
