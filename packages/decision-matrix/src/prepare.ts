/**
 * Generates one package of each kind (every kind of templates/) with the real engine — the CLI's built bin, installing
 * @interop-module/runtime from a tarball packed from this checkout — then installs, builds, and makes
 * the crash-enabled build the fault drills need. A package whose inputs have not changed since it was
 * built (templates, generators, CLI and runtime; see packageFingerprint) is reused as it is.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CommandFailedError, runCommand } from './command.js';
import { MatrixError } from './errors.js';
import { fingerprint } from './fingerprint.js';
import { factsOf, kinds, type Kind } from './metrics.js';
import { cacheRoot, cliRoot, runtimeRoot } from './paths.js';

/** Part of every fingerprint: bump it when the preparation steps below change. */
const recipe = 'decision-matrix package recipe 1';
const markerFileName = '.matrix-package.json';
// A cold napi or wasm build on 2 cores takes a few minutes at worst; a stuck one should not take forever.
const commandTimeoutMs = 20 * 60 * 1000;

export interface PreparedPackage {
  kind: Kind;
  dir: string;
  reused: boolean;
}

export interface PrepareHooks {
  /** A step starts for a kind: 'reuse', or one of the build steps. */
  onStep?(kind: Kind, step: string): void;
}

interface Marker {
  fingerprint: string;
  preparedAt: string;
}

const isTestFile = (file: string) => /\.test\.|(^|[/\\])test-support[/\\]/.test(file);

/** npm_* variables of an outer `npm run bench` must not steer the npm commands run in a generated package. */
function childEnv(): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_'))),
    // Shared with the template tests, so Rust dependencies compile once per machine.
    CARGO_TARGET_DIR: process.env.CARGO_TARGET_DIR ?? path.join(tmpdir(), 'interop-module-cargo-target'),
  };
}

/** Everything a generated package of `kind` is made from, as the CLI's build copied it. */
export async function packageFingerprint(kind: Kind): Promise<string> {
  const templates = path.join(cliRoot, 'assets', 'templates');
  const { layers } = factsOf(kind);
  return fingerprint(
    [
      { path: path.join(cliRoot, 'dist'), exclude: isTestFile },
      { path: path.join(cliRoot, 'assets', 'generators') },
      { path: path.join(cliRoot, 'assets', 'packages') },
      ...[...layers, kind].map((layer) => ({ path: path.join(templates, layer) })),
      { path: path.join(runtimeRoot, 'dist'), exclude: isTestFile },
      { path: path.join(runtimeRoot, 'package.json') },
    ],
    recipe,
  );
}

async function readMarker(dir: string): Promise<Marker | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, markerFileName), 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

async function packRuntime(env: NodeJS.ProcessEnv, logFile: string): Promise<string> {
  const destination = path.join(cacheRoot, 'runtime');
  await mkdir(destination, { recursive: true });
  const stdout = await runCommand('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: runtimeRoot,
    env,
    timeoutMs: commandTimeoutMs,
    logFile,
  });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  if (packed === undefined) throw new CommandFailedError(['npm', 'pack'], 'printed no tarball', stdout);
  return path.join(destination, packed.filename);
}

async function buildPackage(kind: Kind, dir: string, runtimeTarball: () => Promise<string>, hooks: PrepareHooks, logFile: string) {
  const env = childEnv();
  const run = (command: string, args: readonly string[], cwd: string) =>
    runCommand(command, args, { cwd, env, timeoutMs: commandTimeoutMs, logFile });
  await rm(dir, { recursive: true, force: true });
  const tarball = await runtimeTarball();
  hooks.onStep?.(kind, 'generate, install, build');
  // The CLI's own path: generate, `npm install`, `npm run build`.
  const cli = path.join(cliRoot, 'dist', 'cli.js');
  await run(process.execPath, [cli, path.basename(dir), '--kind', kind, '--name', `matrix-${kind}`, '--yes', '--pm', 'npm', '--runtime', tarball], path.dirname(dir));
  const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  if (manifest.scripts?.['build:crash'] !== undefined) {
    hooks.onStep?.(kind, 'build:crash');
    await run('npm', ['run', 'build:crash'], dir);
  }
}

/** Every kind's package, built from this checkout's templates, ready to import. */
export async function preparePackages(hooks: PrepareHooks = {}): Promise<Record<Kind, PreparedPackage>> {
  const logDir = path.join(cacheRoot, 'logs');
  await mkdir(logDir, { recursive: true });
  let tarball: Promise<string> | undefined;
  const prepared = {} as Record<Kind, PreparedPackage>;
  for (const kind of kinds) {
    const dir = path.join(cacheRoot, kind);
    const logFile = path.join(logDir, `${kind}.log`);
    const expected = await packageFingerprint(kind);
    if ((await readMarker(dir))?.fingerprint === expected) {
      hooks.onStep?.(kind, 'reuse');
      prepared[kind] = { kind, dir, reused: true };
      continue;
    }
    await writeFile(logFile, '');
    try {
      await buildPackage(kind, dir, () => (tarball ??= packRuntime(childEnv(), logFile)), hooks, logFile);
    } catch (error) {
      if (!(error instanceof CommandFailedError)) throw error;
      throw new MatrixError('ERR_PREPARE_FAILED', `preparing the ${kind} package failed (full log: ${logFile}): ${error.message}`, {
        cause: error,
      });
    }
    const marker: Marker = { fingerprint: expected, preparedAt: new Date().toISOString() };
    await writeFile(path.join(dir, markerFileName), `${JSON.stringify(marker, null, 2)}\n`);
    prepared[kind] = { kind, dir, reused: false };
  }
  return prepared;
}
