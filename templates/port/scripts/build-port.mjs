// npm run build (after tsc) / build:crash (with the crash-tests feature): compiles
// src/main.rs with cargo and copies the executable to where lib/executable.ts looks for it. Cargo reports
// the artifact's path itself, so this works whatever CARGO_TARGET_DIR is. The release build is written
// into integrity.json too, which lib/executable.ts checks it against before starting it.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeIntegrityManifest } from '@interop-module/runtime/integrity';
import { executableFile, shippedName } from '../dist/executable.js';

// Both optimised: the fuzz and chaos tests start thousands of children, and a debug build starts
// three times slower. The crash build has its own target dir so the two never overwrite each other.
const targetDir = process.env.CARGO_TARGET_DIR || 'target';
const builds = {
  release: ['build', '--release'],
  'crash-tests': ['build', '--release', '--features', 'crash-tests', '--target-dir', path.join(targetDir, 'crash-tests')],
};
const build = process.argv[2];
if (!Object.hasOwn(builds, build)) {
  console.error(`usage: node scripts/build-port.mjs ${Object.keys(builds).join('|')}`);
  process.exit(2);
}

const cargo = spawnSync('cargo', [...builds[build], '--message-format=json-render-diagnostics'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (cargo.error) throw cargo.error;
if (cargo.status !== 0) process.exit(cargo.status ?? 1);

const built = cargo.stdout
  .split('\n')
  .filter((line) => line.startsWith('{'))
  .map((line) => JSON.parse(line))
  .findLast((message) => message.reason === 'compiler-artifact' && message.executable)?.executable;
if (!built) throw new Error('cargo reported no executable');

const target = executableFile(build);
mkdirSync(fileURLToPath(new URL('.', target)), { recursive: true });
copyFileSync(built, target);
chmodSync(target, 0o755);
console.log(`port executable (${build}): ${fileURLToPath(target)}`);
if (build === 'release') writeIntegrityManifest(new URL('..', import.meta.url), { [shippedName()]: fileURLToPath(target) });
