// Builds src/lib.rs for wasm32-unknown-unknown and copies the module into the package:
//   node scripts/build-wasm.mjs            -> dist/module.wasm (release), its SHA-256 in integrity.json
//   node scripts/build-wasm.mjs --crash    -> crash-build/module.wasm (with the crash-tests feature)
// Which Rust builds for wasm32 here (rustup's prebuilt target, or a Rust whose standard library source is
// installed, which builds std itself with -Zbuild-std) is decided by @interop-module/runtime/toolchain, the
// same probe `create-interop-module doctor` runs, so nobody edits this file. INTEROP_WASM_ROUTE=rustup|build-std
// forces one.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeIntegrityManifest } from '@interop-module/runtime/integrity';
import { usableWasmRoute, wasmRoutes, wasmTarget } from '@interop-module/runtime/toolchain';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const crash = process.argv.includes('--crash');

const routes = wasmRoutes();
const forced = process.env.INTEROP_WASM_ROUTE;
if (forced !== undefined && !routes.some((route) => route.name === forced)) {
  console.error(`INTEROP_WASM_ROUTE must be one of ${routes.map((route) => route.name).join(', ')}, got ${forced}`);
  process.exit(2);
}
const route = usableWasmRoute(routes.filter((candidate) => forced === undefined || candidate.name === forced));
if (route === undefined) {
  console.error(
    `No Rust toolchain here can build for ${wasmTarget}${forced ? ` by the ${forced} route` : ''}. Either:\n` +
      routes.map((candidate) => `  ${candidate.title}: ${candidate.fix}\n`).join('') +
      'Then run `npx create-interop-module doctor --kind wasm` to check.',
  );
  process.exit(1);
}

const args = ['build', '--release', '--target', wasmTarget, '--message-format=json-render-diagnostics', ...route.build.args];
if (crash) args.push('--features', 'crash-tests');
console.error(`building ${crash ? 'the crash-tests module' : 'the release module'} (${route.name} route)`);
const build = spawnSync(route.build.cargo, args, {
  cwd: packageRoot,
  env: { ...process.env, ...route.build.env },
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
// lib/module.ts checks the release module against this before loading it (the crash build is never shipped).
if (!crash) writeIntegrityManifest(packageRoot, { 'module.wasm': destination });
