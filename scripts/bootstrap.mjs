// Makes a fresh clone usable: installs the workspace when node_modules is missing or older than the
// lockfile. Runs before `npm test`, `npm run bench` and `npm run scaffold`, so README's commands work on a
// new machine. With --toolchain (before `npm test` and `npm run bench`) it also sets up what the wasm kind
// needs: its wasm32 toolchain, and Chromium for its browser test.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const installedMarker = new URL('node_modules/.package-lock.json', root);
const lockfile = new URL('package-lock.json', root);

const stale = !existsSync(installedMarker) || statSync(installedMarker).mtimeMs < statSync(lockfile).mtimeMs;
if (stale) {
  console.log('bootstrap: installing workspace dependencies');
  // `npm install`, not `npm ci`: see .ci/run (the lockfile cannot list every platform's turbo binary here).
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (process.argv.includes('--toolchain')) {
  const result = spawnSync('bash', ['scripts/wasm-toolchain.sh'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('bootstrap: could not set up the wasm32 toolchain; `npx create-interop-module doctor --kind wasm` says what is missing');
    process.exit(result.status ?? 1);
  }
}
