import { describe, expect, it } from 'vitest';
import { UsageError } from './options.js';
import { runInProcess } from './test-support/run-cli.js';
import { runChecks, runDoctor, type Probe } from './doctor.js';

const kinds = ['napi', 'pure', 'wasm'];

/** A machine described by what its commands print and which files exist. */
function fakeProbe(outputs: Record<string, string>, files: string[] = [], listings: Record<string, string[]> = {}): Probe {
  return {
    output: (command, args) => outputs[[command, ...args].join(' ')],
    exists: (file) => files.includes(file),
    list: (directory) => listings[directory] ?? [],
    nodeVersion: '20.19.0',
    env: {},
  };
}

const base = {
  'npm --version': '11.0.0',
  'rustc --version': 'rustc 1.95.0',
  'cargo --version': 'cargo 1.95.0',
  'cc --version': 'cc (Debian 12.2.0) 12.2.0',
};
const rustupLibdir = '/rustup/lib/rustlib/wasm32-unknown-unknown/lib';
const rustupMachine = fakeProbe(
  { ...base, 'rustc --print target-libdir --target wasm32-unknown-unknown': rustupLibdir },
  ['/usr/bin/chromium'],
  { [rustupLibdir]: ['libcore-1234.rlib'] },
);
const debianMachine = fakeProbe(
  {
    ...base,
    'sh -c command -v wasm-ld': '/usr/bin/wasm-ld',
    'sh -c command -v rustc': '/root/.cargo/bin/rustc',
    '/usr/bin/rustc --print sysroot': '/usr',
    '/usr/bin/rustc --version': 'rustc 1.96.0',
  },
  ['/usr/lib/rustlib/src/rust/library/Cargo.lock', '/usr/bin/cargo', '/usr/bin/chromium'],
);
const bareMachine = fakeProbe({ 'npm --version': '11.0.0' });

function run(probe: Probe, argv: string[]) {
  let text = '';
  const exitCode = runDoctor(argv, kinds, { write: (chunk: string) => (text += chunk) }, probe);
  return { exitCode, text };
}

describe('doctor', () => {
  it('finds the rustup wasm32 target', () => {
    const { exitCode, text } = run(rustupMachine, ['--kind', 'wasm']);
    expect(exitCode).toBe(0);
    expect(text).toContain('wasm32-unknown-unknown builds: through rustup’s target');
    expect(text).toContain('kind wasm: can build and test here');
  });

  it('finds the Debian build-std route when rustup has no wasm32 target', () => {
    const { exitCode, text } = run(debianMachine, ['--kind', 'wasm']);
    expect(exitCode).toBe(0);
    expect(text).toContain('wasm32-unknown-unknown builds: through build-std');
    expect(text).toContain('fix: rustup target add wasm32-unknown-unknown');
  });

  it('prints the fix for each missing piece and exits 1 when an asked-for kind cannot build', () => {
    const { exitCode, text } = run(bareMachine, ['--kind', 'wasm', '--kind', 'pure']);
    expect(exitCode).toBe(1);
    expect(text).toContain('fix: apt-get install rustc-web cargo-web rust-web-src lld');
    expect(text).toContain('fix: apt-get install chromium');
    expect(text).toMatch(/kind wasm: cannot build and test here \(missing: rustc, cargo, wasm32-unknown-unknown builds, chromium/);
    expect(text).toContain('kind pure: can build and test here');
  });

  it('reports every kind but exits 0 when no kind was asked for', () => {
    const { exitCode, text } = run(bareMachine, []);
    expect(exitCode).toBe(0);
    expect(text).toContain('kind napi: cannot build and test here');
  });

  it('flags a Node older than 20.17', () => {
    const checks = runChecks({ ...rustupMachine, nodeVersion: '20.10.0' });
    expect(checks.find((check) => check.name.startsWith('node'))).toMatchObject({ ok: false, found: 'v20.10.0' });
  });

  it('rejects an unknown kind or flag', () => {
    expect(() => run(rustupMachine, ['--kind', 'cobol'])).toThrow(UsageError);
    expect(() => run(rustupMachine, ['--fast'])).toThrow(UsageError);
  });
});

describe('create-interop-module doctor (through runCli)', () => {
  const cli = (argv: string[]) => runInProcess(argv, { cwd: process.cwd() });

  it('checks this machine and reports every kind', async () => {
    const { exitCode, stdout } = await cli(['doctor']);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^ok\s+node ≥ 20\.17: v\d+/m);
    expect(stdout).toContain('kind pure: can build and test here');
  });

  it('exits 2 with a usage message for an unknown kind', async () => {
    const { exitCode, stderr } = await cli(['doctor', '--kind', 'nope']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('Unknown kind "nope"');
  });
});
