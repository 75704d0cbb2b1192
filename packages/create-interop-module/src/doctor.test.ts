import { describe, expect, it } from 'vitest';
import { runChecks, runDoctor, type Probe } from './doctor.js';
import { UsageError } from './errors.js';
import { bareMachine, debianMachine, fakeProbe, hostToolchain, rustupMachine } from './test-support/fake-probe.js';
import { realKinds, realKindsNamed } from './test-support/kinds.js';
import { runInProcess } from './test-support/run-cli.js';

const kinds = realKindsNamed('napi', 'pure', 'wasm');

function run(probe: Probe, argv: string[]) {
  let text = '';
  const exitCode = runDoctor(argv, kinds, { write: (chunk: string) => (text += chunk) }, probe);
  return { exitCode, text };
}

describe('doctor', () => {
  it('finds the rustup wasm32 target', () => {
    const { exitCode, text } = run(rustupMachine, ['--kind', 'wasm']);
    expect(exitCode).toBe(0);
    expect(text).toContain('wasm32-unknown-unknown builds: through rustup target');
    expect(text).toContain('kind wasm: can build and test here');
  });

  it('finds the Debian build-std route when rustup has no wasm32 target', () => {
    const { exitCode, text } = run(debianMachine, ['--kind', 'wasm']);
    expect(exitCode).toBe(0);
    expect(text).toContain('wasm32-unknown-unknown builds: through std source + build-std');
  });

  it('a route that is not needed is "not needed", with no fix, whichever route works', () => {
    for (const [machine, unused] of [
      [rustupMachine, 'std source + build-std'],
      [debianMachine, 'rustup target'],
    ] as const) {
      const { text } = run(machine, ['--kind', 'wasm']);
      expect(text).toContain(`\n  not needed  ${unused}`);
      expect(text).not.toMatch(/^missing/m);
      expect(text).not.toContain('fix:');
    }
  });

  it('with no wasm32 route, both routes are missing, each with its fix', () => {
    const { text } = run(fakeProbe(hostToolchain, ['/usr/bin/chromium']), ['--kind', 'wasm']);
    expect(text).toMatch(/^missing     wasm32-unknown-unknown builds: no route/m);
    expect(text).toMatch(/^  missing     rustup target: not installed\n\s+fix: rustup target add wasm32-unknown-unknown$/m);
    expect(text).toMatch(/^  missing     std source \+ build-std.*\n\s+fix: apt-get install rustc-web cargo-web rust-web-src lld$/m);
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
    const checks = runChecks({ ...rustupMachine, nodeVersion: '20.10.0' }, { kinds: realKinds });
    expect(checks.find((check) => check.name.startsWith('node'))).toMatchObject({ ok: false, found: 'v20.10.0' });
  });

  it('rejects an unknown kind, flag or package manager', () => {
    expect(() => run(rustupMachine, ['--kind', 'cobol'])).toThrow(UsageError);
    expect(() => run(rustupMachine, ['--fast'])).toThrow(UsageError);
    expect(() => run(rustupMachine, ['--pm', 'bun'])).toThrow(/Unknown package manager "bun"/);
  });

  it('--pm checks that package manager instead of npm', () => {
    const { exitCode, text } = run(rustupMachine, ['--kind', 'pure', '--pm', 'pnpm']);
    expect(exitCode).toBe(1);
    expect(text).toMatch(/^missing     pnpm: not found\n\s+fix: npm install -g pnpm/m);
  });

  it('checks only what the kinds asked for need, as their kind.json says', () => {
    const names = (...kinds: string[]) => runChecks(bareMachine, { kinds: realKindsNamed(...kinds) }).map((check) => check.name);
    expect(names('pure')).toEqual(['node ≥ 20.17', 'npm']);
    expect(names('napi')).toEqual(['node ≥ 20.17', 'npm', 'rustc', 'cargo', 'C compiler (cc)']);
    expect(names('wasm')).toEqual(['node ≥ 20.17', 'npm', 'rustc', 'cargo', 'wasm32-unknown-unknown builds', 'chromium (browser tests)']);
  });

  it('a kind.json that needs a toolchain gets its check, at the stage it names', () => {
    const pure = realKindsNamed('pure')[0]!;
    const needsBrowserToBuild = { ...pure, needs: { build: ['browser' as const], test: [] } };
    expect(runChecks(bareMachine, { kinds: [needsBrowserToBuild], stage: 'build' }).map((check) => check.name)).toContain('chromium (browser tests)');
    expect(runChecks(bareMachine, { kinds: [needsBrowserToBuild], stage: 'test' }).map((check) => check.name)).toEqual(['node ≥ 20.17', 'npm']);
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
