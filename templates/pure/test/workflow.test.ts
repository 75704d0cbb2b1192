import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The workflow cannot run here; this checks that it says what the package promises.
const workflow = parse(readFileSync(new URL('../.github/workflows/ci.yml', import.meta.url), 'utf8'));

describe('.github/workflows/ci.yml', () => {
  it('lints, tests on Node 20, 22 and 24, then releases', () => {
    expect(Object.keys(workflow.jobs)).toEqual(['lint', 'test', 'release']);
    expect(workflow.jobs.test.strategy.matrix.node).toEqual([20, 22, 24]);
    expect(workflow.jobs.test.steps.map((step: { run?: string }) => step.run)).toContain('npm test');
    expect(workflow.jobs.lint.steps.map((step: { run?: string }) => step.run)).toContain('npm run lint');
  });

  it('releases only from main after lint and tests pass, through changesets', () => {
    expect(workflow.jobs.release.if).toContain('refs/heads/main');
    expect(workflow.jobs.release.needs).toEqual(['lint', 'test']);
    const changesetStep = workflow.jobs.release.steps.find((step: { uses?: string }) => step.uses?.startsWith('changesets/action'));
    expect(changesetStep.with.publish).toBe('npx changeset publish');
  });

  it('runs the release gate (pack, install into a clean project, load) before anything is published', () => {
    const steps = workflow.jobs.release.steps as { run?: string; uses?: string }[];
    const gate = steps.findIndex((step) => step.run === 'npm run release:gate');
    expect(gate).toBeGreaterThan(-1);
    expect(gate).toBeLessThan(steps.findIndex((step) => step.uses?.startsWith('changesets/action')));
  });
});
