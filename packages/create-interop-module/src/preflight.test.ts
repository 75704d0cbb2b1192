import { describe, expect, test } from 'vitest';
import { PreflightError } from './errors.js';
import type { KindFacts } from './generators.js';
import { assertCanBuild } from './preflight.js';
import { bareMachine, fakeProbe, hostToolchain, rustupMachine } from './test-support/fake-probe.js';
import { realKindsNamed } from './test-support/kinds.js';

const [napi, pure, wasm] = realKindsNamed('napi', 'pure', 'wasm') as [KindFacts, KindFacts, KindFacts];

function preflightError(run: () => void): PreflightError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PreflightError);
    return error as PreflightError;
  }
  throw new Error('expected a PreflightError');
}

describe('assertCanBuild', () => {
  test('a missing package manager stops it, with doctor’s fix', () => {
    const error = preflightError(() => assertCanBuild(pure, 'pnpm', rustupMachine));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('ERR_PREFLIGHT');
    expect(error.message).toMatch(/^Cannot install and build a pure package here: missing pnpm\./);
    expect(error.message).toMatch(/^missing     pnpm: not found\n\s+fix: npm install -g pnpm/m);
    expect(error.message).toContain('create-interop-module doctor --kind pure --pm pnpm');
    expect(error.message).toContain('--no-install');
    expect(error.message).toContain('--skip-preflight');
  });

  test('napi without cargo stops it, naming cargo and how to get it', () => {
    const { 'cargo --version': _cargo, ...withoutCargo } = hostToolchain;
    const error = preflightError(() => assertCanBuild(napi, 'npm', fakeProbe(withoutCargo)));
    expect(error.message).toMatch(/missing cargo\./);
    expect(error.message).toContain('fix: curl https://sh.rustup.rs -sSf | sh');
    expect(error.message).not.toMatch(/^missing\s+rustc/m);
  });

  test('the pure kind needs only node and the package manager', () => {
    expect(() => assertCanBuild(pure, 'npm', bareMachine)).not.toThrow();
  });

  test('checks only a kind’s tests need (chromium) do not stop it', () => {
    const wasmWithoutChromium = fakeProbe(
      { ...hostToolchain, 'rustc --print target-libdir --target wasm32-unknown-unknown': '/lib' },
      [],
      { '/lib': ['libcore-1.rlib'] },
    );
    expect(() => assertCanBuild(wasm, 'npm', wasmWithoutChromium)).not.toThrow();
  });

  test('wasm with no wasm32 route stops it, listing both routes', () => {
    const error = preflightError(() => assertCanBuild(wasm, 'npm', fakeProbe(hostToolchain)));
    expect(error.message).toMatch(/missing wasm32-unknown-unknown builds\./);
    expect(error.message).toContain('fix: rustup target add wasm32-unknown-unknown');
    expect(error.message).toContain('fix: apt-get install rustc-web cargo-web rust-web-src lld');
  });
});
