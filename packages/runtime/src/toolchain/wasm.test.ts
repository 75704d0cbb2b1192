import { describe, expect, it } from 'vitest';
import type { MachineProbe } from './machine.js';
import { usableWasmRoute, wasmRoutes } from './wasm.js';

/** A machine described by what its commands print (key: "command arg..."), which files exist, and directory listings. */
function fakeMachine(outputs: Record<string, string>, files: string[] = [], listings: Record<string, string[]> = {}): MachineProbe {
  return {
    output: (command, args) => outputs[[command, ...args].join(' ')],
    exists: (file) => files.includes(file),
    list: (directory) => listings[directory] ?? [],
  };
}

const rustupLibdir = '/rustup/lib/rustlib/wasm32-unknown-unknown/lib';
const rustupMachine = fakeMachine(
  { 'rustc --print target-libdir --target wasm32-unknown-unknown': rustupLibdir },
  [],
  { [rustupLibdir]: ['libcore-1234.rlib'] },
);
/** Debian's rustc-web beside a rustup rustc without the wasm32 target. */
const debianOutputs = {
  'sh -c command -v wasm-ld': '/usr/bin/wasm-ld',
  'sh -c command -v rustc': '/root/.cargo/bin/rustc',
  '/usr/bin/rustc --print sysroot': '/usr',
  '/usr/bin/rustc --version': 'rustc 1.96.0',
};
const debianFiles = ['/usr/lib/rustlib/src/rust/library/Cargo.lock', '/usr/bin/cargo'];

describe('wasmRoutes', () => {
  it("builds by rustup's target when its core for wasm32 is installed, with plain cargo", () => {
    const route = usableWasmRoute(wasmRoutes(rustupMachine));
    expect(route).toMatchObject({ name: 'rustup', found: rustupLibdir, build: { cargo: 'cargo', args: [], env: {} } });
  });

  it('a libdir without libcore is no rustup target', () => {
    const [rustup] = wasmRoutes(fakeMachine({ 'rustc --print target-libdir --target wasm32-unknown-unknown': '/empty' }));
    expect(rustup).toMatchObject({ build: undefined, found: 'not installed', fix: 'rustup target add wasm32-unknown-unknown' });
  });

  it("falls back to a rustc with std source (Debian's, not PATH's), its cargo, build-std and wasm-ld", () => {
    const route = usableWasmRoute(wasmRoutes(fakeMachine(debianOutputs, debianFiles)));
    expect(route).toMatchObject({
      name: 'build-std',
      found: '/usr/bin/rustc (rustc 1.96.0)',
      debianPackages: [],
      build: {
        cargo: '/usr/bin/cargo',
        args: ['-Zbuild-std=std,panic_abort'],
        env: { RUSTC: '/usr/bin/rustc', RUSTC_BOOTSTRAP: '1', CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER: '/usr/bin/wasm-ld' },
      },
    });
  });

  it('prefers rustup when both routes work', () => {
    const both = fakeMachine(
      { ...debianOutputs, 'rustc --print target-libdir --target wasm32-unknown-unknown': rustupLibdir },
      debianFiles,
      { [rustupLibdir]: ['libcore-1234.rlib'] },
    );
    expect(wasmRoutes(both).map((route) => route.build !== undefined)).toEqual([true, true]);
    expect(usableWasmRoute(wasmRoutes(both))?.name).toBe('rustup');
  });

  it('names exactly the Debian packages a half-set-up build-std route lacks', () => {
    const { 'sh -c command -v wasm-ld': _linker, ...withoutLinker } = debianOutputs;
    const [, noLinker] = wasmRoutes(fakeMachine(withoutLinker, debianFiles));
    expect(noLinker).toMatchObject({ build: undefined, debianPackages: ['lld'], fix: 'apt-get install lld', found: '/usr/bin/rustc, but no wasm-ld' });
    const [, noSource] = wasmRoutes(fakeMachine(debianOutputs, ['/usr/bin/cargo']));
    expect(noSource).toMatchObject({ build: undefined, debianPackages: ['rustc-web', 'cargo-web', 'rust-web-src'] });
  });

  it('on a machine with neither, no route is usable and each says how to set it up', () => {
    const routes = wasmRoutes(fakeMachine({}));
    expect(usableWasmRoute(routes)).toBeUndefined();
    expect(routes.map((route) => route.fix)).toEqual([
      'rustup target add wasm32-unknown-unknown',
      'apt-get install rustc-web cargo-web rust-web-src lld',
    ]);
  });
});
