// Makes a fresh clone usable: installs the workspace when node_modules is missing or older than the
// lockfile. Runs before `npm test`, `npm run bench` and `npm run scaffold`, so README's commands work on a
// new machine. With --toolchain (before `npm test` and `npm run bench`) it also sets up what the wasm kind
// needs and this machine lacks: a way to build for wasm32 — rustup's target where it can be downloaded,
// else Debian's rustc-web with build-std (apt needs root) — and Chromium for its browser test.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const installedMarker = new URL('node_modules/.package-lock.json', root);
const lockfile = new URL('package-lock.json', root);
const toolchainAdvice = '`npx create-interop-module doctor --kind wasm` says what is missing';

/** Runs a command in the repository root; exits with its status when it fails. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`bootstrap: \`${command} ${args.join(' ')}\` failed${options.failure ? `; ${options.failure}` : ''}`);
    process.exit(result.status ?? 1);
  }
}

/**
 * Decides with the probe doctor and the wasm kind's build script use (@interop-module/runtime/toolchain),
 * so all three agree on what counts as set up.
 */
async function setUpWasmToolchain() {
  // This checkout's probe: turbo rebuilds the runtime only when it changed.
  run('npx', ['turbo', 'run', 'build', '--filter=@interop-module/runtime', '--output-logs=errors-only']);
  const { machine, onPath, usableWasmRoute, wasmRoutes, wasmTarget } = await import('../packages/runtime/dist/toolchain/index.js');
  let routes = wasmRoutes();
  if (usableWasmRoute(routes) === undefined && onPath(machine, 'rustup') !== undefined) {
    // Bounded: where the distribution server is unreachable, rustup can wait a long time before failing.
    spawnSync('timeout', ['300', 'rustup', 'target', 'add', wasmTarget], { stdio: 'ignore' });
    routes = wasmRoutes();
  }
  const debianPackages = usableWasmRoute(routes) === undefined ? routes.flatMap((route) => route.debianPackages) : [];
  if (onPath(machine, 'chromium') === undefined) debianPackages.push('chromium');
  if (debianPackages.length > 0) {
    const apt = { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, failure: toolchainAdvice };
    run('apt-get', ['update'], apt);
    run('apt-get', ['install', '-y', '--no-install-recommends', ...debianPackages], apt);
    routes = wasmRoutes();
  }
  const route = usableWasmRoute(routes);
  if (route === undefined) {
    console.error(`bootstrap: no way to build for ${wasmTarget} after setting it up; ${toolchainAdvice}`);
    process.exit(1);
  }
  console.log(`bootstrap: wasm32 builds through ${route.title}`);
}

const stale = !existsSync(installedMarker) || statSync(installedMarker).mtimeMs < statSync(lockfile).mtimeMs;
if (stale) {
  console.log('bootstrap: installing workspace dependencies');
  // `npm install`, not `npm ci`: see .ci/run (the lockfile cannot list every platform's turbo binary here).
  run('npm', ['install', '--no-audit', '--no-fund']);
}

if (process.argv.includes('--toolchain')) await setUpWasmToolchain();
