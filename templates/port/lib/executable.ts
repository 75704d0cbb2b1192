/**
 * Where the port executable lives, and the check before it starts.
 *
 * `npm run build` puts the release build in dist/bin/<platform>-<arch>/ (development). A published
 * package ships each platform's executable in a package of its own, `<name>-<platform>-<arch>`, which npm
 * installs (an optional dependency) only on the machines it fits; the main package's integrity.json lists
 * every one with its SHA-256, and the executable is refused (ERR_NATIVE_INTEGRITY) unless it matches,
 * checked once before the first start. `INTEROP_MODULE_BINARY_<NAME>` starts a file of the developer's
 * choosing instead, unchecked (it warns once). The crash-tests build goes to crash-build/, never published
 * nor checked. Paths are taken from the package root, the same from lib/ (tests) and dist/ (installed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InteropError } from '@interop-module/runtime';
import { binaryOverride, verifyBinary } from '@interop-module/runtime/integrity';

export type PortBuild = 'release' | 'crash-tests';

const packageRoot = fileURLToPath(new URL('../', import.meta.url));

/** The executable's name in integrity.json (and its path under dist/bin/): `<platform>-<arch>/port`. */
export function shippedName(platform: string = process.platform, arch: string = process.arch): string {
  return `${platform}-${arch}/${platform === 'win32' ? 'port.exe' : 'port'}`;
}

/** The package that ships the executable for one platform, named after this one. */
export function platformPackageName(packageName: string, platform: string, arch: string): string {
  return `${packageName}-${platform}-${arch}`;
}

export function executableFile(build: PortBuild, platform: string = process.platform, arch: string = process.arch): URL {
  const name = shippedName(platform, arch);
  return new URL(build === 'release' ? `../dist/bin/${name}` : `../crash-build/${path.posix.basename(name)}`, import.meta.url);
}

/** The release executable in this platform's package, if npm installed it. */
function installedExecutable(packageName: string, platform: string, arch: string): string | undefined {
  try {
    const manifest = createRequire(path.join(packageRoot, 'package.json')).resolve(`${platformPackageName(packageName, platform, arch)}/package.json`);
    return path.join(path.dirname(manifest), path.posix.basename(shippedName(platform, arch)));
  } catch {
    return undefined;
  }
}

/**
 * The executable to start: for the release build, the override, the local build or the platform package
 * (checked against integrity.json); ERR_PORT_UNAVAILABLE saying what to build or install when there is none.
 */
export function findExecutable(build: PortBuild, platform: string = process.platform, arch: string = process.arch): string {
  const local = fileURLToPath(executableFile(build, platform, arch));
  if (build === 'crash-tests') {
    if (!existsSync(local)) {
      throw new InteropError('ERR_PORT_UNAVAILABLE', `there is no crash-tests port executable at ${local}; run \`npm run build:crash\``);
    }
    return local;
  }
  const override = binaryOverride(packageRoot);
  if (override !== undefined) return override;
  const { name: packageName } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { name: string };
  const file = existsSync(local) ? local : installedExecutable(packageName, platform, arch);
  if (file === undefined) {
    throw new InteropError(
      'ERR_PORT_UNAVAILABLE',
      `there is no release port executable for ${platform}-${arch}: not at ${local} (run \`npm run build\` to build it here) ` +
        `nor in ${platformPackageName(packageName, platform, arch)} (reinstall ${packageName} without omitting optional dependencies)`,
    );
  }
  verifyBinary({ packageRoot, name: shippedName(platform, arch), file });
  return file;
}
