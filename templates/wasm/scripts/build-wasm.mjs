// Builds src/lib.rs for wasm32-unknown-unknown and copies the module into the package:
//   node scripts/build-wasm.mjs            -> dist/module.wasm (release)
//   node scripts/build-wasm.mjs --crash    -> crash-build/module.wasm (with the crash-tests feature)
// Two toolchain routes, detected here so nobody edits this file: rustup's prebuilt wasm32 target, or a
// Rust whose standard library source is installed (Debian's rustc-web + rust-web-src), which lets cargo
// build std for wasm32 itself (-Zbuild-std). INTEROP_WASM_ROUTE=rustup|build-std forces one.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const target = 'wasm32-unknown-unknown';
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const crash = process.argv.includes('--crash');

function output(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function onPath(command) {
  return output('sh', ['-c', `command -v ${command}`]) || undefined;
}

/** rustup's route: the PATH rustc already has a compiled core for wasm32. */
function rustupRoute() {
  const libdir = output('rustc', ['--print', 'target-libdir', '--target', target]);
  if (libdir === undefined || !existsSync(libdir)) return undefined;
  if (!readdirSync(libdir).some((file) => file.startsWith('libcore-'))) return undefined;
  return { name: 'rustup', cargo: 'cargo', args: [], env: {} };
}

/** build-std's route: a rustc with its library source, a cargo beside it, and wasm-ld to link. */
function buildStdRoute() {
  const linker = onPath('wasm-ld');
  if (linker === undefined) return undefined;
  for (const rustc of [onPath('rustc'), '/usr/bin/rustc']) {
    if (rustc === undefined || !existsSync(rustc)) continue;
    const sysroot = output(rustc, ['--print', 'sysroot']);
    if (sysroot === undefined || !existsSync(path.join(sysroot, 'lib/rustlib/src/rust/library/Cargo.lock'))) continue;
    const cargo = path.join(path.dirname(rustc), 'cargo');
    if (!existsSync(cargo)) continue;
    return {
      name: 'build-std',
      cargo,
      args: ['-Zbuild-std=std,panic_abort'],
      // RUSTC_BOOTSTRAP lets a stable toolchain accept the -Z flag; wasm-ld replaces rust-lld, which
      // distribution packages may not ship.
      env: { RUSTC: rustc, RUSTC_BOOTSTRAP: '1', CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER: linker },
    };
  }
  return undefined;
}

const routes = { rustup: rustupRoute, 'build-std': buildStdRoute };
const forced = process.env.INTEROP_WASM_ROUTE;
if (forced !== undefined && !(forced in routes)) {
  console.error(`INTEROP_WASM_ROUTE must be one of ${Object.keys(routes).join(', ')}, got ${forced}`);
  process.exit(2);
}
const route = forced !== undefined ? routes[forced]() : (rustupRoute() ?? buildStdRoute());
if (route === undefined) {
  console.error(
    `No Rust toolchain here can build for ${target}${forced ? ` by the ${forced} route` : ''}. Either:\n` +
      `  rustup target add ${target}\n` +
      '  or (Debian/Ubuntu): apt-get install rustc-web cargo-web rust-web-src lld\n' +
      'Then run `npx create-interop-module doctor` to check.',
  );
  process.exit(1);
}

const args = ['build', '--release', '--target', target, '--message-format=json-render-diagnostics', ...route.args];
if (crash) args.push('--features', 'crash-tests');
console.error(`building ${crash ? 'the crash-tests module' : 'the release module'} (${route.name} route)`);
const build = spawnSync(route.cargo, args, {
  cwd: packageRoot,
  env: { ...process.env, ...route.env },
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  maxBuffer: 64 * 1024 * 1024,
});
if (build.status !== 0) process.exit(build.status ?? 1);

// cargo's JSON messages name the artifact wherever the target dir is (CARGO_TARGET_DIR included).
const wasmFile = build.stdout
  .split('\n')
  .filter((line) => line.startsWith('{'))
  .map((line) => JSON.parse(line))
  .flatMap((message) => (message.reason === 'compiler-artifact' ? message.filenames : []))
  .find((file) => file.endsWith('.wasm'));
if (wasmFile === undefined) {
  console.error('cargo finished without producing a .wasm file');
  process.exit(1);
}
const destination = path.join(packageRoot, crash ? 'crash-build' : 'dist', 'module.wasm');
mkdirSync(path.dirname(destination), { recursive: true });
copyFileSync(wasmFile, destination);
console.error(`wrote ${path.relative(packageRoot, destination)}`);
