// Copies the generators (their JavaScript, without tests, tsconfig or declarations) and the templates
// into assets/ so the published package carries them (the package's files can only come from inside
// its own folder), plus the runtime manifest the generators read the default @interop-module/runtime
// version from, and the companion crate's source that they vendor into generated Rust packages
// (without build output).
import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyCompanionCrate } from '../../../generators/companion-crate.js';
import { isBuildOutput } from '../../../generators/template-files.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const assets = fileURLToPath(new URL('../assets/', import.meta.url));

await rm(assets, { recursive: true, force: true });
const generators = path.join(repoRoot, 'generators');
await cp(generators, path.join(assets, 'generators'), {
  recursive: true,
  // The generators and function/ (what `add` runs), without their tests.
  filter: (source) => {
    const file = path.relative(generators, source);
    return file === '' || file === 'function' || /^(function\/)?[^/]+(?<!\.test)\.js$/.test(file);
  },
});
await cp(path.join(repoRoot, 'templates'), path.join(assets, 'templates'), {
  recursive: true,
  filter: (source) => !isBuildOutput(path.relative(path.join(repoRoot, 'templates'), source)),
});
await mkdir(path.join(assets, 'packages', 'runtime'), { recursive: true });
await cp(
  path.join(repoRoot, 'packages', 'runtime', 'package.json'),
  path.join(assets, 'packages', 'runtime', 'package.json'),
);
await copyCompanionCrate(
  path.join(repoRoot, 'packages', 'interop-module-rs'),
  path.join(assets, 'packages', 'interop-module-rs'),
);
