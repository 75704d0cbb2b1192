/**
 * Which Rust on this machine can build for wasm32-unknown-unknown, and how. `create-interop-module
 * doctor`, the wasm kind's build script (scripts/build-wasm.mjs in a generated package) and the
 * repository's bootstrap all ask this one probe.
 */
import path from 'node:path';
import { machine, onPath, type MachineProbe } from './machine.js';

export const wasmTarget = 'wasm32-unknown-unknown';

/** rustup's prebuilt target, or a Rust with its standard library source, which builds std itself (-Zbuild-std). */
export type WasmRouteName = 'rustup' | 'build-std';

/** How cargo builds for wasm32 by a route: `<cargo> build --target wasm32-unknown-unknown <args>` with `env`. */
export interface WasmBuild {
  cargo: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
}

export interface WasmRoute {
  name: WasmRouteName;
  /** What the route is, for people. */
  title: string;
  /** How to build by this route; undefined when this machine lacks it. */
  build: WasmBuild | undefined;
  /** What was found: where the route's toolchain is, or what is missing. */
  found: string;
  /** The command that sets the route up here. */
  fix: string;
  /** The Debian packages this route still lacks (what `fix` installs); empty for rustup's route. */
  debianPackages: readonly string[];
}

/** rustup's route: the rustc on PATH has a compiled core for wasm32. */
function rustupRoute(probe: MachineProbe): WasmRoute {
  const libdir = probe.output('rustc', ['--print', 'target-libdir', '--target', wasmTarget]);
  const installed = libdir !== undefined && probe.list(libdir).some((file) => file.startsWith('libcore-'));
  return {
    name: 'rustup',
    title: 'rustup target',
    build: installed ? { cargo: 'cargo', args: [], env: {} } : undefined,
    found: installed ? libdir : 'not installed',
    fix: `rustup target add ${wasmTarget}`,
    debianPackages: [],
  };
}

const rustWithSourcePackages = ['rustc-web', 'cargo-web', 'rust-web-src'];
const wasmLinkerPackage = 'lld';

/** A rustc whose sysroot holds std's source, with a cargo beside it: PATH's first, then Debian's rustc-web. */
function rustcWithSource(probe: MachineProbe): string | undefined {
  for (const rustc of [onPath(probe, 'rustc'), '/usr/bin/rustc']) {
    if (rustc === undefined) continue;
    const sysroot = probe.output(rustc, ['--print', 'sysroot']);
    if (sysroot === undefined) continue;
    const hasSource = probe.exists(path.join(sysroot, 'lib/rustlib/src/rust/library/Cargo.lock'));
    if (hasSource && probe.exists(path.join(path.dirname(rustc), 'cargo'))) return rustc;
  }
  return undefined;
}

/** build-std's route: a rustc with its library source, a cargo beside it, and wasm-ld to link. */
function buildStdRoute(probe: MachineProbe): WasmRoute {
  const linker = onPath(probe, 'wasm-ld');
  const rustc = rustcWithSource(probe);
  const missing = [...(rustc === undefined ? rustWithSourcePackages : []), ...(linker === undefined ? [wasmLinkerPackage] : [])];
  const route = {
    name: 'build-std',
    title: 'std source + build-std (where rustup cannot download)',
    fix: `apt-get install ${(missing.length > 0 ? missing : [...rustWithSourcePackages, wasmLinkerPackage]).join(' ')}`,
    debianPackages: missing,
  } as const;
  if (rustc === undefined || linker === undefined) {
    return { ...route, build: undefined, found: rustc === undefined ? 'no rustc with its std source, or no wasm-ld' : `${rustc}, but no wasm-ld` };
  }
  return {
    ...route,
    build: {
      cargo: path.join(path.dirname(rustc), 'cargo'),
      args: ['-Zbuild-std=std,panic_abort'],
      // RUSTC_BOOTSTRAP lets a stable toolchain accept the -Z flag; wasm-ld replaces rust-lld, which
      // distribution packages may not ship.
      env: { RUSTC: rustc, RUSTC_BOOTSTRAP: '1', CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER: linker },
    },
    found: `${rustc} (${probe.output(rustc, ['--version'])?.split('\n')[0] ?? 'version unknown'})`,
  };
}

/** Every route, preferred first, as this machine has it. */
export function wasmRoutes(probe: MachineProbe = machine): WasmRoute[] {
  return [rustupRoute(probe), buildStdRoute(probe)];
}

/** The first route this machine can build by, or undefined. */
export function usableWasmRoute(routes: readonly WasmRoute[]): (WasmRoute & { build: WasmBuild }) | undefined {
  return routes.find((route): route is WasmRoute & { build: WasmBuild } => route.build !== undefined);
}
