import type { Probe } from '../doctor.js';

/** A machine described by what its commands print (key: "command arg..."), which files exist, and directory listings. */
export function fakeProbe(outputs: Record<string, string>, files: string[] = [], listings: Record<string, string[]> = {}): Probe {
  return {
    output: (command, args) => outputs[[command, ...args].join(' ')],
    exists: (file) => files.includes(file),
    list: (directory) => listings[directory] ?? [],
    nodeVersion: '20.19.0',
    env: {},
  };
}

/** npm, rustc, cargo and cc answer; nothing for wasm32 or chromium. */
export const hostToolchain = {
  'npm --version': '11.0.0',
  'rustc --version': 'rustc 1.95.0',
  'cargo --version': 'cargo 1.95.0',
  'cc --version': 'cc (Debian 12.2.0) 12.2.0',
};

const rustupLibdir = '/rustup/lib/rustlib/wasm32-unknown-unknown/lib';

/** Everything, with wasm32 through rustup's target. */
export const rustupMachine = fakeProbe(
  { ...hostToolchain, 'rustc --print target-libdir --target wasm32-unknown-unknown': rustupLibdir },
  ['/usr/bin/chromium'],
  { [rustupLibdir]: ['libcore-1234.rlib'] },
);

/** Everything, with wasm32 through Debian's rustc-web and build-std (rustup has no wasm32 target). */
export const debianMachine = fakeProbe(
  {
    ...hostToolchain,
    'sh -c command -v wasm-ld': '/usr/bin/wasm-ld',
    'sh -c command -v rustc': '/root/.cargo/bin/rustc',
    '/usr/bin/rustc --print sysroot': '/usr',
    '/usr/bin/rustc --version': 'rustc 1.96.0',
  },
  ['/usr/lib/rustlib/src/rust/library/Cargo.lock', '/usr/bin/cargo', '/usr/bin/chromium'],
);

/** Node and npm only. */
export const bareMachine = fakeProbe({ 'npm --version': '11.0.0' });
