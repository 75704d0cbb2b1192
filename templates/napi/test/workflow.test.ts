import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string[];
  if?: string;
  'runs-on': string;
  strategy?: { matrix: { include?: Record<string, unknown>[]; node?: number[] } };
  steps: Step[];
}

const workflow = parse(readFileSync(new URL('../.github/workflows/ci.yml', import.meta.url), 'utf8')) as {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
};
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  napi: { targets: string[] };
  scripts: Record<string, string>;
};

function job(name: string): Job {
  const found = workflow.jobs[name];
  if (found === undefined) throw new Error(`ci.yml has no job ${name}`);
  return found;
}

const commands = (name: string) => job(name).steps.flatMap((step) => (step.run === undefined ? [] : [step.run]));

describe('CI workflow', () => {
  it('has the lint, cargo test, build, test and publish jobs', () => {
    expect(Object.keys(workflow.jobs).sort()).toEqual(['build', 'cargo-test', 'lint', 'publish', 'test']);
    expect(commands('lint')).toContain('npm run lint');
    expect(commands('cargo-test')).toEqual(['cargo test', 'cargo test --features crash-tests']);
  });

  it('builds every napi target of package.json and uploads each addon', () => {
    const include = job('build').strategy?.matrix.include ?? [];
    expect(include.map((entry) => entry.target).sort()).toEqual([...packageJson.napi.targets].sort());
    expect(include.map((entry) => entry.platform).sort()).toEqual(
      ['darwin-arm64', 'linux-x64-gnu', 'linux-x64-musl', 'win32-x64'].sort(),
    );
    const uploads = job('build').steps.filter((step) => step.uses?.startsWith('actions/upload-artifact'));
    expect(uploads.map((step) => step.with?.name)).toContain('bindings-${{ matrix.platform }}');
    const buildsTarget = (run: string) => run.startsWith('npm run build:native -- --target ${{ matrix.target }}');
    expect(commands('build').some(buildsTarget)).toBe(true);
    expect(packageJson.scripts['build:native']).toMatch(/^napi build --platform --release\b/);
  });

  it('tests on Node 20, 22 and 24', () => {
    expect(job('test').strategy?.matrix.node).toEqual([20, 22, 24]);
    expect(commands('test')).toContain('npm test');
  });

  it('publishes per-platform packages only for a release, after everything passed', () => {
    const publish = job('publish');
    expect(workflow.on).toHaveProperty('release');
    expect(publish.if).toContain("github.event_name == 'release'");
    expect([...(publish.needs ?? [])].sort()).toEqual(['build', 'cargo-test', 'lint', 'test']);
    const runs = commands('publish');
    // The gate (pack, install the tarballs into a clean project, load) comes before anything is published.
    const order = ['napi create-npm-dirs', 'napi artifacts', 'napi pre-publish', 'integrity-manifest', 'npm run release:gate', 'npm publish'].map((command) =>
      runs.findIndex((run) => run.includes(command)),
    );
    expect(order.every((index) => index >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});
