// The release job's packaging, after the build job made one executable per platform:
// `node scripts/platform-packages.mjs <artifacts>` turns each <artifacts>/port-<platform>-<arch>/ into a
// package of its own, npm/<platform>-<arch>/, named <name>-<platform>-<arch>, with `os` and `cpu` so that
// npm installs only the one that fits a machine; lists them in package.json as optionalDependencies at
// this version; and writes integrity.json with their SHA-256, which lib/executable.ts checks the executable
// against before starting it. npm/ is made anew each time.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeIntegrityManifest } from '@interop-module/runtime/integrity';
import { platformPackageName, shippedName } from '../dist/executable.js';

const artifacts = process.argv[2];
if (artifacts === undefined) {
  console.error('usage: node scripts/platform-packages.mjs <folder of port-<platform>-<arch>/ artifacts>');
  process.exit(2);
}
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const manifestFile = path.join(packageRoot, 'package.json');
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const npmDir = path.join(packageRoot, 'npm');
rmSync(npmDir, { recursive: true, force: true });

const binaries = {};
const platformPackages = {};
for (const folder of readdirSync(artifacts).filter((name) => name.startsWith('port-')).sort()) {
  const [platform, arch] = folder.slice('port-'.length).split('-');
  const name = shippedName(platform, arch);
  const executable = path.posix.basename(name);
  const directory = path.join(npmDir, `${platform}-${arch}`);
  mkdirSync(directory, { recursive: true });
  copyFileSync(path.join(artifacts, folder, executable), path.join(directory, executable));
  // Artifacts lose the executable bit; npm keeps it in the tarball.
  chmodSync(path.join(directory, executable), 0o755);
  const packageName = platformPackageName(manifest.name, platform, arch);
  const platformManifest = {
    name: packageName,
    version: manifest.version,
    description: `The port executable of ${manifest.name} for ${platform}-${arch}.`,
    license: manifest.license,
    os: [platform],
    cpu: [arch],
    files: [executable],
    ...(manifest.repository !== undefined && { repository: manifest.repository }),
  };
  writeFileSync(path.join(directory, 'package.json'), `${JSON.stringify(platformManifest, null, 2)}\n`);
  binaries[name] = path.join(directory, executable);
  platformPackages[packageName] = manifest.version;
  console.log(`npm/${platform}-${arch}: ${packageName}@${manifest.version}`);
}
if (Object.keys(binaries).length === 0) {
  console.error(`no port-<platform>-<arch>/ folder in ${artifacts}`);
  process.exit(1);
}
// The user's own optional dependencies stay; those of an earlier release's platforms go.
const others = Object.entries(manifest.optionalDependencies ?? {}).filter(([dependency]) => !dependency.startsWith(`${manifest.name}-`));
manifest.optionalDependencies = { ...Object.fromEntries(others), ...platformPackages };
writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
for (const [name, digest] of Object.entries(writeIntegrityManifest(packageRoot, binaries))) console.log(`integrity.json: ${name} ${digest}`);
