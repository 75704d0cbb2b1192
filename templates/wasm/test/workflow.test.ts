import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

// The workflow cannot run here; this checks that it says what the package promises.
const workflow = parse(readFileSync(new URL('../.github/workflows/ci.yml', import.meta.url), 'utf8')) as {
  jobs: Record<string, { strategy?: { matrix: { node: number[] } }; steps: Step[] }>;
};
const steps = (job: string) => workflow.jobs[job]?.steps ?? [];
const runs = (job: string) => steps(job).flatMap((step) => (step.run === undefined ? [] : [step.run]));

describe('.github/workflows/ci.yml', () => {
  it('lints, runs cargo test, and tests on Node 20, 22 and 24', () => {
    expect(Object.keys(workflow.jobs)).toEqual(['lint', 'cargo-test', 'test', 'publish']);
    expect(runs('lint')).toEqual(expect.arrayContaining(['cargo fmt --check', 'npm run lint']));
    expect(runs('cargo-test')).toEqual(['cargo test']);
    expect(workflow.jobs.test?.strategy?.matrix.node).toEqual([20, 22, 24]);
    expect(runs('test')).toContain('npm test');
  });

  it('installs the wasm32 target and points the browser test at the runner’s Chrome', () => {
    for (const job of ['lint', 'test']) {
      const toolchain = steps(job).find((step) => step.uses?.startsWith('dtolnay/rust-toolchain'));
      expect(toolchain?.with?.targets).toBe('wasm32-unknown-unknown');
    }
    expect(steps('test').find((step) => step.run === 'npm test')?.env?.CHROMIUM_PATH).toBeTruthy();
    const upload = steps('test').find((step) => step.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.with?.path).toBe('test-artifacts/');
  });

  it('publishes for a release only: builds, runs the gate (pack, install into a clean project, load), then publishes', () => {
    expect(runs('publish')).toEqual(['npm install --no-audit --no-fund', 'npm run build', 'npm run release:gate', 'npm publish --access public']);
  });
});
