/**
 * The napi-rs addon, loaded (`native`): which one this machine loads, and the check before it does. `npm run build` puts
 * `<binaryName>.<platform>-<arch>[-<abi>].node` next to package.json; a published package ships each one in
 * a package of its own, `<name>-<platform>-<arch>[-<abi>]`, which npm installs (an optional dependency) only
 * where it fits. integrity.json lists all of them with their SHA-256: the addon is picked from that list,
 * taken from the package folder first (development), then from its installed platform package, and
 * refused with ERR_NATIVE_INTEGRITY unless it matches. `INTEROP_MODULE_BINARY_<NAME>` loads a file of the
 * developer's choosing instead, unchecked (it warns once). napi's own index.cjs loader is not used, so
 * nothing loads an addon this module has not checked.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InteropError } from '@interop-module/runtime';
import { binaryOverride, readIntegrityManifest, verifyBinary } from '@interop-module/runtime/integrity';

const packageRoot = fileURLToPath(new URL('../', import.meta.url));

/** glibc or musl, which napi names Linux addons by (-gnu, -musl); read as napi-rs's own loader reads it. */
function isMusl(): boolean {
  try {
    return readFileSync('/usr/bin/ldd', 'utf8').includes('musl');
  } catch {
    const { header } = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
    return header?.glibcVersionRuntime === undefined;
  }
}

/** The addon of `shipped` for this platform and architecture and, where there are several, this C library. */
function addonName(binaryName: string, shipped: readonly string[]): string | undefined {
  const prefix = `${binaryName}.${process.platform}-${process.arch}`;
  const fits = shipped.filter((name) => name.endsWith('.node') && (name === `${prefix}.node` || name.startsWith(`${prefix}-`)));
  if (fits.length <= 1) return fits[0];
  const abi = process.platform === 'linux' ? (isMusl() ? '-musl' : '-gnu') : '-msvc';
  return fits.find((name) => name.includes(abi)) ?? fits[0];
}

/** Where the platform package `npm install` put holds `name`; ERR_INTERNAL saying what to install when it is not there. */
function installedAddon(packageName: string, binaryName: string, name: string): string {
  const platformPackage = `${packageName}-${name.slice(binaryName.length + 1, -'.node'.length)}`;
  try {
    return createRequire(path.join(packageRoot, 'package.json')).resolve(platformPackage);
  } catch (error) {
    throw new InteropError(
      'ERR_INTERNAL',
      `the native addon for ${process.platform}-${process.arch} is in ${platformPackage}, which is not installed: ` +
        `reinstall ${packageName} without omitting optional dependencies, or run \`npm run build\` to build it here`,
      { cause: error },
    );
  }
}

/** The addon file to load on this machine, checked against integrity.json (or the override, unchecked). */
function addonFile(): string {
  const override = binaryOverride(packageRoot);
  if (override !== undefined) return override;
  const { name: packageName, napi } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
    name: string;
    napi: { binaryName: string };
  };
  const shipped = Object.keys(readIntegrityManifest(packageRoot).binaries);
  const name = addonName(napi.binaryName, shipped);
  if (name === undefined) {
    throw new InteropError(
      'ERR_INTERNAL',
      `${packageName} has no native addon for ${process.platform}-${process.arch} (it ships ${shipped.join(', ') || 'none'}); ` +
        'run `npm run build` to build one here',
    );
  }
  const local = path.join(packageRoot, name);
  const file = existsSync(local) ? local : installedAddon(packageName, napi.binaryName, name);
  verifyBinary({ packageRoot, name, file });
  return file;
}

type NativeBinding = typeof import('../index.cjs');

/**
 * Loads the addon picked and checked above (the local build, or the installed platform package),
 * synchronously, so this module needs no top-level await (which would stop CommonJS callers from
 * require()-ing it) and a binary that cannot be loaded becomes a typed error instead of napi's bare one.
 */
function loadNativeBinding(): NativeBinding {
  const file = addonFile();
  try {
    return createRequire(import.meta.url)(file) as NativeBinding;
  } catch (error) {
    throw new InteropError(
      'ERR_INTERNAL',
      `the native addon ${file} could not be loaded on ${process.platform}-${process.arch}; ` +
        'run `npm run build` or reinstall the package with its platform package',
      { cause: error },
    );
  }
}

/** The addon's exports: lib/index.ts wraps them (and so may the package's other modules). */
export const native = loadNativeBinding();
