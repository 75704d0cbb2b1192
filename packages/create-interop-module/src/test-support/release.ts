/**
 * A generated package's release, run for real by the template tests: the job of its CI workflow that
 * publishes (the one that runs `npm run release:gate`), step by step, on this machine. `run:` steps run as
 * GitHub runs them (bash -e, in the package folder); the `uses:` steps that set up a runner are skipped
 * (this machine has Node and, for a kind whose release builds, Rust); `download-artifact` gets what the
 * workflow's build job would have uploaded for this machine's platform, taken from the package's own build;
 * `changesets/action` runs its `publish` command. Also: a project with no Rust toolchain on its PATH.
 */
import { copyFile, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface WorkflowStep {
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

interface WorkflowJob {
  strategy?: { matrix?: { include?: Record<string, string>[] } };
  steps: WorkflowStep[];
}

interface Workflow {
  jobs: Record<string, WorkflowJob>;
}

export async function readWorkflow(packageDir: string): Promise<Workflow> {
  return parseYaml(await readFile(path.join(packageDir, '.github', 'workflows', 'ci.yml'), 'utf8')) as Workflow;
}

/** The job that publishes: the one whose steps run the release gate. */
export function releaseJob(workflow: Workflow): { name: string; job: WorkflowJob } {
  const found = Object.entries(workflow.jobs).filter(([, job]) => job.steps.some((step) => step.run === 'npm run release:gate'));
  if (found.length !== 1) throw new Error(`expected one job that runs \`npm run release:gate\`, found ${found.length}`);
  const [[name, job]] = found as [[string, WorkflowJob]];
  return { name, job };
}

/** This machine's entry of the build job's matrix (`platform` linux-x64 or linux-x64-gnu here), if it has one. */
export function hostBuild(workflow: Workflow): Record<string, string> | undefined {
  const include = workflow.jobs['build']?.strategy?.matrix?.include ?? [];
  const host = `${process.platform}-${process.arch}`;
  return include.find((entry) => entry['platform'] === host || entry['platform'] === `${host}-gnu`);
}

/** `${{ matrix.x }}` replaced from `matrix`. */
function expand(text: string, matrix: Record<string, string>): string {
  return text.replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (whole, key: string) => matrix[key] ?? whole);
}

/** The files an upload-artifact `path` names, relative to `cwd`: globs in one folder (`*.node`), folders, files. */
async function filesOf(cwd: string, paths: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of paths.split('\n').map((line) => line.trim()).filter(Boolean)) {
    if (entry.includes('*')) {
      const folder = path.join(cwd, path.dirname(entry));
      const pattern = new RegExp(`^${path.basename(entry).replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      files.push(...(await readdir(folder)).filter((name) => pattern.test(name)).map((name) => path.join(folder, name)));
    } else if ((await stat(path.join(cwd, entry))).isDirectory()) {
      files.push(...(await readdir(path.join(cwd, entry))).map((name) => path.join(cwd, entry, name)));
    } else {
      files.push(path.join(cwd, entry));
    }
  }
  return files;
}

/**
 * What the build job uploads on this machine's platform (its upload-artifact steps, from the package's own
 * build), by artifact name → files.
 */
export async function hostArtifacts(packageDir: string, workflow: Workflow): Promise<Map<string, string[]>> {
  const artifacts = new Map<string, string[]>();
  const matrix = hostBuild(workflow);
  if (matrix === undefined) return artifacts;
  for (const step of workflow.jobs['build']!.steps) {
    if (!step.uses?.startsWith('actions/upload-artifact') || step.with === undefined) continue;
    const name = expand(String(step.with['name']), matrix);
    const files = await filesOf(packageDir, expand(String(step.with['path']), matrix));
    if (files.length === 0) throw new Error(`the build job's artifact ${name} would be empty: ${String(step.with['path'])}`);
    artifacts.set(name, files);
  }
  return artifacts;
}

/** download-artifact: `pattern` puts each matching artifact in `path`/<name>/, `name` puts one in `path`. */
export async function downloadArtifacts(packageDir: string, step: WorkflowStep, artifacts: Map<string, string[]>): Promise<string[]> {
  const target = path.join(packageDir, String(step.with?.['path'] ?? '.'));
  const pattern = step.with?.['pattern'];
  const wanted =
    pattern === undefined
      ? [String(step.with?.['name'])]
      : [...artifacts.keys()].filter((name) => new RegExp(`^${String(pattern).replace(/\*/g, '.*')}$`).test(name));
  if (wanted.length === 0 || wanted.some((name) => !artifacts.has(name))) throw new Error(`no artifact for ${JSON.stringify(step.with)}`);
  for (const name of wanted) {
    const folder = pattern === undefined ? target : path.join(target, name);
    await mkdir(folder, { recursive: true });
    for (const file of artifacts.get(name)!) {
      const destination = path.join(folder, path.basename(file));
      if (path.resolve(destination) !== path.resolve(file)) await copyFile(file, destination);
    }
  }
  return wanted;
}

/** Steps that set a GitHub runner up; this machine is set up already. */
export function isRunnerSetup(step: WorkflowStep): boolean {
  return ['actions/checkout', 'actions/setup-node', 'dtolnay/rust-toolchain'].some((action) => step.uses?.startsWith(action));
}

/**
 * A bin folder with node, npm, npx and a shell only — a PATH on which no Rust toolchain can be found (the
 * folders the test's PATH has may hold cargo and rustc, /usr/bin included where Debian's rustc is installed).
 */
export async function pathWithoutRust(directory: string): Promise<string> {
  await mkdir(directory, { recursive: true });
  const tools: Record<string, string> = { node: process.execPath };
  for (const tool of ['npm', 'npx', 'sh', 'env']) {
    for (const folder of (process.env['PATH'] ?? '').split(path.delimiter)) {
      const candidate = path.join(folder, tool);
      if (await stat(candidate).then((stats) => stats.isFile(), () => false)) {
        tools[tool] = candidate;
        break;
      }
    }
  }
  for (const [tool, file] of Object.entries(tools)) await symlink(file, path.join(directory, tool));
  await writeFile(path.join(directory, 'README'), 'node, npm, npx and sh only: no cargo, rustc or rustup\n');
  return directory;
}
