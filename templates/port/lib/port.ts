/**
 * Where the port executable lives and how this package supervises it.
 *
 * The release build goes to dist/bin/<platform>-<arch>/, so `npm publish` ships it inside dist/ and an
 * installed package finds it exactly where a local `npm run build` put it. The crash-tests build goes
 * to crash-build/, which is never published. Both paths are taken from the package root, so they are
 * the same whether this file runs from lib/ (tests) or dist/ (installed).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InteropError, LIMITS } from '@interop-module/runtime';
import { createPort, type Port, type PortOptions } from '@interop-module/runtime/port';

export type PortBuild = 'release' | 'crash-tests';

export function executableFile(build: PortBuild, platform: string = process.platform, arch: string = process.arch): URL {
  const name = platform === 'win32' ? 'port.exe' : 'port';
  const folder = build === 'release' ? `dist/bin/${platform}-${arch}/` : 'crash-build/';
  return new URL(`../${folder}${name}`, import.meta.url);
}

/** The executable's path, or ERR_PORT_UNAVAILABLE saying how to build it. */
export function findExecutable(build: PortBuild, platform: string = process.platform, arch: string = process.arch): string {
  const file = fileURLToPath(executableFile(build, platform, arch));
  if (!existsSync(file)) {
    const script = build === 'release' ? 'build' : 'build:crash';
    throw new InteropError(
      'ERR_PORT_UNAVAILABLE',
      `there is no ${build} port executable for ${platform}-${arch} at ${file}; run \`npm run ${script}\``,
    );
  }
  return file;
}

/** The deriveKey request body that src/main.rs reads: u32 iterations, u16 salt length, salt, password. */
export function deriveKeyBody(password: Uint8Array, salt: Uint8Array, iterations: number): Uint8Array {
  const body = Buffer.allocUnsafe(6 + salt.length + password.length);
  body.writeUInt32BE(iterations, 0);
  body.writeUInt16BE(salt.length, 4);
  body.set(salt, 6);
  body.set(password, 6 + salt.length);
  return body;
}

/** A supervised port on a build of src/main.rs; the child starts with the first call. */
export function openPort(build: PortBuild, overrides: Partial<PortOptions> = {}): Port {
  return createPort({
    command: findExecutable(build),
    // The contract accepts up to 64 MiB of data per call; requests carry a few bytes more.
    maxFrameBytes: LIMITS.maxDataBytes + 1024,
    ...overrides,
  });
}
