// Writes integrity.json: the SHA-256 of every addon this package ships, which lib/addon.ts checks an addon
// against before loading it. It lists the addon `napi build` put next to package.json and those the release
// job's `napi artifacts` put into the per-platform packages (npm/<platform>/), so the main package vouches
// for each platform package. `npm run build` runs it, and the release job again once npm/ holds every
// platform's addon.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256, writeIntegrityManifest } from '@interop-module/runtime/integrity';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const { napi } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8'));
const platformPackages = path.join(packageRoot, 'npm');
const folders = [packageRoot, ...(existsSync(platformPackages) ? readdirSync(platformPackages).map((name) => path.join(platformPackages, name)) : [])];

const binaries = {};
for (const folder of folders) {
  for (const name of readdirSync(folder).filter((file) => file.startsWith(`${napi.binaryName}.`) && file.endsWith('.node'))) {
    const file = path.join(folder, name);
    const earlier = binaries[name];
    if (earlier !== undefined && sha256(readFileSync(earlier)) !== sha256(readFileSync(file))) {
      console.error(`${earlier} and ${file} are different builds of ${name}; remove npm/ (left by an earlier release) or build again`);
      process.exit(1);
    }
    binaries[name] = file;
  }
}
if (Object.keys(binaries).length === 0) {
  console.error(`no ${napi.binaryName}.*.node here or in npm/*/: run \`npm run build:native\` first`);
  process.exit(1);
}
for (const [name, digest] of Object.entries(writeIntegrityManifest(packageRoot, binaries))) console.log(`integrity.json: ${name} ${digest}`);
