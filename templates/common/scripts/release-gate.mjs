// `npm run release:gate`: the last step before `npm publish`. Packs this package and every per-platform
// package the release made (npm/*/), installs the tarballs into a new project outside this folder, as a
// user's install would, and runs scripts/smoke.mjs there: the package must load and answer every export as
// node:crypto does. So a platform package without its binary ("Cannot find native binding"), one built for
// another C library, or an integrity.json that does not match is caught before anyone installs it. A
// platform package for another machine cannot be loaded here: each binary it packs must be one that
// integrity.json lists. Exits 1 at the first problem.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const { name } = readJson(path.join(packageRoot, 'package.json'));
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
class GateFailure extends Error {}
const fail = (message) => {
  throw new GateFailure(message);
};

/** Whether npm would install a package with these os/cpu/libc fields on this machine. */
function fitsHere({ os, cpu, libc }) {
  const glibc = process.platform === 'linux' && process.report.getReport().header.glibcVersionRuntime !== undefined;
  const thisLibc = process.platform !== 'linux' ? undefined : glibc ? 'glibc' : 'musl';
  const allows = (list, value) => list === undefined || list.includes(value);
  return allows(os, process.platform) && allows(cpu, process.arch) && (libc === undefined || allows(libc, thisLibc));
}

const scratch = mkdtempSync(path.join(tmpdir(), 'release-gate-'));
try {
  const platformRoot = path.join(packageRoot, 'npm');
  const platformDirs = existsSync(platformRoot) ? readdirSync(platformRoot).map((folder) => path.join(platformRoot, folder)) : [];
  const shipped = new Set(existsSync(path.join(packageRoot, 'integrity.json')) ? Object.values(readJson(path.join(packageRoot, 'integrity.json')).binaries) : []);

  const tarballs = [];
  for (const directory of [packageRoot, ...platformDirs]) {
    const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', scratch], directory));
    const manifest = readJson(path.join(directory, 'package.json'));
    console.log(`release gate: packed ${packed.filename} (${packed.files.length} files, ${packed.size} bytes)`);
    if (directory !== packageRoot) {
      // npm packs package.json, a README or a licence besides the binary; whatever else it packs must be listed.
      const binaries = packed.files.map(({ path: file }) => file).filter((file) => !/^(package\.json|readme|license|licence)/i.test(file));
      if (binaries.length === 0) fail(`${manifest.name} packs no binary`);
      for (const file of binaries) {
        const digest = createHash('sha256').update(readFileSync(path.join(directory, file))).digest('hex');
        if (!shipped.has(digest)) fail(`${manifest.name}'s ${file} (sha256 ${digest}) is not in ${name}'s integrity.json: run the release steps again`);
      }
      if (!fitsHere(manifest)) {
        console.log(`release gate: ${manifest.name} is for another machine; its binaries are the ones integrity.json lists`);
        continue;
      }
    }
    tarballs.push(path.join(scratch, packed.filename));
  }

  const consumer = path.join(scratch, 'consumer');
  mkdirSync(consumer);
  writeFileSync(path.join(consumer, 'package.json'), '{ "private": true }\n');
  npm(['install', '--no-audit', '--no-fund', ...tarballs], consumer);
  copyFileSync(path.join(packageRoot, 'scripts', 'smoke.mjs'), path.join(consumer, 'smoke.mjs'));
  try {
    console.log(`release gate: ${execFileSync(process.execPath, ['smoke.mjs', name], { cwd: consumer, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim()}`);
  } catch {
    fail(`${name}, installed from its tarballs, does not load or answer correctly (above); nothing was published`);
  }
  console.log(`release gate: ${name} installs from its tarballs and works; publishing may go ahead`);
} catch (error) {
  if (!(error instanceof GateFailure)) throw error;
  console.error(`release gate: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
