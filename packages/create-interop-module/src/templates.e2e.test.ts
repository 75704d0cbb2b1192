// Template and release tests (slow, tag "slow"; part of `npm test`, alone with `npm run test:templates`).
// A local npm registry (Verdaccio on 127.0.0.1, test-support/registry.ts) receives this monorepo's release
// (`changeset publish`: the CLI and @interop-module/runtime); then, outside the repository and with only that
// registry set, `npx create-interop-module demo-<kind> --kind <kind> --yes` generates every kind, which
// installs, builds and passes its own `npm test`. The consumer matrix (test-support/consumer-matrix.ts)
// packs each package and the runtime, type-checks a consumer of each with several TypeScripts as ESM and
// CommonJS, and runs it. Last, each package's own release job (its CI workflow's, test-support/release.ts)
// runs for real to the same registry — its pre-publish gate included — and a project with no Rust toolchain
// on its PATH installs it from there, loads it and calls every export; a tampered binary is refused.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadGenerators } from './generators.js';
import {
  createConsumer,
  expectedDiagnostics,
  installTypeScripts,
  kindConsumer,
  platformPackages,
  nodeBinaries,
  runConsumer,
  runtimeConsumer,
  typeCheck,
  type ConsumerSpec,
  type MatrixOptions,
  type TypeScriptInstalls,
} from './test-support/consumer-matrix.js';
import { runCommand, runCommandOk, type CommandOptions, type CommandResult } from './test-support/command.js';
import { loadGeneratorHelpers } from './test-support/generator-helpers.js';
import { startRegistry, type LocalRegistry } from './test-support/registry.js';
import {
  downloadArtifacts,
  hostArtifacts,
  hostBuild,
  isRunnerSetup,
  pathWithoutRust,
  readWorkflow,
  releaseJob,
} from './test-support/release.js';

const packageRoot = fileURLToPath(new URL('../', import.meta.url));
const repoRoot = path.resolve(packageRoot, '../..');
const runtimeRoot = path.join(repoRoot, 'packages', 'runtime');
const { templatesDir, dotfiles, templateFiles, companionCrate } = await loadGeneratorHelpers(
  path.join(repoRoot, 'generators', 'index.js'),
);
const generators = await loadGenerators();
const kinds = generators.listKinds();

// Every generated suite also runs under these Node versions (the system Node is the first of the matrix).
const otherNodeVersions = ['22', '24'];

// One cargo target dir for every run, so dependencies compile once per machine, not per package
// (CARGO_TARGET_DIR, when set, names another: builds of other checkouts then keep out of it).
const cargoTargetDir = process.env.CARGO_TARGET_DIR ?? path.join(tmpdir(), 'interop-module-cargo-target');

// npm_* variables from an outer `npm test` (workspace, prefix, user agent) must not steer the
// commands run in the scratch directory, which is meant to look like a user's machine.
const childEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_'))),
  CARGO_TARGET_DIR: cargoTargetDir,
};

const timings: { label: string; seconds: number }[] = [];

/** How this file runs commands: as a user's machine would (childEnv), each timed and printed. */
const commandOptions: CommandOptions = {
  env: childEnv,
  onTiming(label, seconds) {
    timings.push({ label, seconds });
    console.log(`[templates e2e] ${label}: ${seconds.toFixed(1)}s`);
  },
  // A bound for hangs: one command may build and test a whole package on a busy 2-core machine.
  timeoutMs: 30 * 60 * 1000,
};

/** Runs a command however it ends; `env` replaces the user-like environment (to set the local registry, or hide Rust). */
function exec(label: string, command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = childEnv): Promise<CommandResult> {
  return runCommand({ ...commandOptions, env }, label, command, args, cwd);
}

/** Runs a command that must succeed; resolves with its stdout. */
function run(label: string, command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = childEnv): Promise<string> {
  return runCommandOk({ ...commandOptions, env }, label, command, args, cwd);
}

/** Runs a command that must fail; resolves with its exit code and output. */
async function runExpectingFailure(label: string, command: string, args: readonly string[], cwd: string): Promise<{ exitCode: number | null; output: string }> {
  const { exitCode, output } = await runCommand(commandOptions, label, command, args, cwd);
  return { exitCode, output };
}

/** The rows of the table bench/functions.mjs prints (console.table) after the kind's own bench, as objects of numbers and text. */
function benchRows(output: string): Record<string, string | number>[] {
  const table = output.slice(output.indexOf('Added functions, median'));
  const lines = table.split('\n').filter((line) => line.startsWith('│'));
  const cells = (line: string) => line.split('│').slice(1, -1).map((cell) => cell.trim());
  const [header, ...rows] = lines.map(cells);
  if (header === undefined) return [];
  return rows.map((row) =>
    Object.fromEntries(
      header.slice(1).map((column, index) => {
        const cell = (row[index + 1] ?? '').replace(/^'|'$/g, '');
        return [column, cell !== '' && !Number.isNaN(Number(cell)) ? Number(cell) : cell];
      }),
    ),
  );
}

/** A generated suite must have run tests, all passing; prints vitest's summary line. */
function expectTestsRan(vitestOutput: string, label: string) {
  const plain = vitestOutput.replace(/\x1b\[[0-9;]*m/g, '');
  const summary = /^\s*Tests\s+(\d+) passed \((\d+)\)\s*$/m.exec(plain);
  console.log(`[templates e2e] ${label}: ${summary?.[0].trim() ?? 'no vitest summary found'}`);
  expect(summary, `vitest summary in the output of ${label}`).not.toBeNull();
  expect(Number(summary![1])).toBeGreaterThan(0);
  expect(summary![1]).toBe(summary![2]);
}

/** The vendored companion crate's files in a generated package (none when its Cargo.toml does not use it). */
async function vendoredCrateFiles(packageDir: string): Promise<string[]> {
  const manifest = path.join(packageDir, 'Cargo.toml');
  if (!existsSync(manifest) || !companionCrate.usesVendoredCrate(await readFile(manifest, 'utf8'))) return [];
  return (await companionCrate.companionCrateFiles()).map((file) => path.join(companionCrate.vendoredCrateDir, file));
}

/** `npm pack` a package folder into `destination`; returns the tarball's absolute path. */
async function pack(packageDir: string, destination: string): Promise<string> {
  const stdout = await run(`pack ${path.basename(packageDir)}`, 'npm', ['pack', '--json', '--pack-destination', destination], packageDir);
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  if (packed === undefined) throw new Error(`npm pack printed no tarball for ${packageDir}`);
  return path.join(destination, packed.filename);
}

/** What a kind's release measured, for the summary the suite prints at the end. */
interface ReleaseReport {
  kind: string;
  publishSeconds: number;
  installSeconds: number;
  firstCallMs: number;
  tarballs: Record<string, number>;
  integrity?: { bytes: number; firstMs: number; againMs: number };
  tamperMessage?: string;
}

describe('templates e2e: release to a local registry -> npx create-interop-module -> install -> build -> npm test -> release', { tags: ['slow'] }, () => {
  let scratch = '';
  let bin = '';
  let runtimeTarball = '';
  let registry: LocalRegistry | undefined;
  let registryEnv: NodeJS.ProcessEnv = childEnv;
  const runtimeVersion = (JSON.parse(readFileSync(path.join(runtimeRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const generated = new Map<string, string>();
  const releases: ReleaseReport[] = [];

  // The consumer matrix: TypeScript versions and Node binaries are fetched once, on first use, and
  // shared by every package's consumer.
  const matrixOptions: MatrixOptions = {
    env: childEnv,
    onTiming: (label, seconds) => timings.push({ label: `  consumers: ${label}`, seconds }),
  };
  let typeScripts: Promise<TypeScriptInstalls> | undefined;
  let nodes: Promise<Map<string, string>> | undefined;
  const matrixRows: string[] = [];
  const sha256OfAbc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

  /**
   * Installs `spec`'s consumer; every TypeScript type-checks it as ESM and CommonJS; the newest one's
   * output runs on this Node and on `otherNodeVersions`, each format printing `expected`.
   */
  async function checkConsumers(spec: ConsumerSpec, expected: unknown): Promise<void> {
    const started = performance.now();
    typeScripts ??= installTypeScripts(matrixOptions, path.join(scratch, 'typescript'));
    nodes ??= nodeBinaries(matrixOptions, otherNodeVersions, scratch);
    const installs = await typeScripts;
    const consumer = await createConsumer(matrixOptions, path.join(scratch, 'consumers', spec.name), spec, installs);
    const reported: Record<string, unknown> = {};
    const wanted: Record<string, unknown> = {};
    for (const typeScript of installs.versions) {
      const diagnostics = await typeCheck(matrixOptions, consumer, typeScript);
      reported[typeScript.version] = diagnostics;
      wanted[typeScript.version] = expectedDiagnostics(consumer, typeScript);
      const cell = (inFile: (file: string) => boolean) =>
        [...new Set(diagnostics.filter(({ file }) => inFile(file)).map(({ code }) => code))].join(' ') || 'ok';
      const sources = ['esm.mts', 'require.cts', 'import.cts'];
      matrixRows.push(
        `${spec.name.padEnd(18)} TypeScript ${typeScript.version.padEnd(6)} ` +
          `${sources.map((source) => `${source} ${cell((file) => file === source)}`).join(', ')}, ` +
          `packages' .d.ts ${cell((file) => !sources.includes(file))}`,
      );
    }
    expect(reported, `tsc diagnostics for ${spec.name}, by TypeScript version`).toEqual(wanted);

    const newest = installs.versions.at(-1)!;
    const runOn = [{ label: process.version, binary: process.execPath }, ...[...(await nodes)].map(([major, binary]) => ({ label: `node@${major}`, binary }))];
    for (const node of runOn) {
      expect(await runConsumer(matrixOptions, consumer, newest, node), `${spec.name} on ${node.label}`).toEqual({
        esm: expected,
        require: expected,
        import: expected,
      });
    }
    timings.push({ label: `consumer matrix ${spec.name} (total)`, seconds: (performance.now() - started) / 1000 });
  }

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'interop-module-e2e-'));
    if (!existsSync(path.join(runtimeRoot, 'dist'))) {
      await run('build runtime', 'npm', ['run', 'build', '--workspace', '@interop-module/runtime'], repoRoot);
    }
    // For the consumer matrix, which installs the runtime beside each package from tarballs.
    runtimeTarball = await pack(runtimeRoot, scratch);

    // The local registry: this repository's packages and the generated ones live there only; every
    // other name comes from the registry npm is configured with.
    registry = await startRegistry({
      directory: path.join(scratch, 'registry'),
      localPackages: ['create-interop-module', '@interop-module/*', 'demo-*'],
      env: childEnv,
    });
    registryEnv = { ...childEnv, ...registry.env };
    console.log(`[templates e2e] local registry ${registry.url} (uplink ${registry.uplink})`);

    // The monorepo's release, as README's release commands run it (the version step is the maintainers'):
    // dist/ and assets/ are fresh (the vitest global setup built the CLI, the runtime is built above);
    // --no-git-tag keeps the checkout as it is.
    const published = await run('changeset publish (CLI, runtime)', 'npx', ['--no-install', 'changeset', 'publish', '--no-git-tag'], repoRoot, registryEnv);
    void published;
    for (const name of ['create-interop-module', '@interop-module/runtime']) {
      const version = (await run(`npm view ${name}`, 'npm', ['view', name, 'version'], scratch, registryEnv)).trim();
      expect(version, `${name} on the local registry`).toBe(runtimeVersion);
    }

    // The CLI as a user installs it, for the tests that only write files.
    const cliHome = path.join(scratch, 'cli');
    await mkdir(cliHome);
    await writeFile(path.join(cliHome, 'package.json'), '{ "private": true }\n');
    await run('install CLI from the registry', 'npm', ['install', '--no-audit', '--no-fund', 'create-interop-module'], cliHome, registryEnv);
    bin = path.join(cliHome, 'node_modules', '.bin', 'create-interop-module');
  }, 10 * 60 * 1000);

  afterAll(async () => {
    if (matrixRows.length > 0) console.log(`[templates e2e] consumer matrix (tsc diagnostics per file):\n${matrixRows.join('\n')}`);
    console.log(`[templates e2e] timings:\n${timings.map(({ label, seconds }) => `  ${label.padEnd(48)} ${seconds.toFixed(1)}s`).join('\n')}`);
    if (releases.length > 0) {
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
      console.log(
        `[templates e2e] releases (publish = the release job, gate included; install = npm install from the registry, no Rust on PATH):\n` +
          releases
            .map(
              (report) =>
                `  ${report.kind.padEnd(5)} publish ${report.publishSeconds.toFixed(1)}s, install ${report.installSeconds.toFixed(1)}s, ` +
                `first load + call ${report.firstCallMs} ms; tarballs ${Object.entries(report.tarballs).map(([file, bytes]) => `${file} ${kb(bytes)}`).join(', ')}` +
                (report.integrity === undefined
                  ? '; no binary, no integrity check'
                  : `; integrity check of ${kb(report.integrity.bytes)}: ${report.integrity.firstMs.toFixed(2)} ms first, ${report.integrity.againMs.toFixed(3)} ms again`) +
                (report.tamperMessage === undefined ? '' : `\n        tampered: ${report.tamperMessage}`),
            )
            .join('\n'),
      );
    }
    await registry?.stop();
    if (scratch !== '') await rm(scratch, { recursive: true, force: true });
  });

  test('there are kinds to test', () => {
    expect(kinds).toEqual(expect.arrayContaining(['napi', 'pure']));
  });

  test('changeset version (the release\'s first step, in a clone of this commit) moves the CLI, the runtime and the crate\'s package to one new version', async () => {
    const clone = path.join(scratch, 'version-clone');
    await run('git clone (changeset version)', 'git', ['clone', '--quiet', '--depth', '1', `file://${repoRoot}`, clone], scratch);
    await symlink(path.join(repoRoot, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
    await run('changeset version', 'npx', ['--no-install', 'changeset', 'version'], clone);
    const versionOf = async (folder: string) =>
      (JSON.parse(await readFile(path.join(clone, 'packages', folder, 'package.json'), 'utf8')) as { version: string }).version;
    const versions = await Promise.all(['create-interop-module', 'runtime', 'interop-module-rs'].map(versionOf));
    expect(new Set(versions).size, `versions after changeset version: ${versions.join(', ')}`).toBe(1);
    expect(versions[0]).not.toBe(runtimeVersion);
    const cli = JSON.parse(await readFile(path.join(clone, 'packages', 'create-interop-module', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(cli.dependencies['@interop-module/runtime']).toBe(`^${versions[0]}`);
  });

  test('consumers of the packed runtime compile with every TypeScript (ESM and CommonJS) and run', async () => {
    await checkConsumers(runtimeConsumer(runtimeTarball), {
      exports: { main: true, testing: true, port: true, wasm: true },
      sameError: true,
      late: 'ERR_TIMEOUT',
      createPort: 'function',
      runInChild: 'function',
    });
  });

  describe.each(kinds)('kind %s', (kind) => {
    test('the packed CLI writes every template file (--no-install)', async () => {
      const cwd = path.join(scratch, 'trees');
      await mkdir(cwd, { recursive: true });
      await run(`generate ${kind} (--no-install)`, bin, [`tree-${kind}`, '--kind', kind, '--yes', '--no-install'], cwd);
      const expected = new Set<string>();
      for (const layer of generators.layersOf(kind)) {
        for (const file of await templateFiles.listTemplateFiles(path.join(templatesDir, layer))) {
          expected.add(dotfiles.generatedPath(file));
        }
      }
      for (const file of await vendoredCrateFiles(path.join(cwd, `tree-${kind}`))) expected.add(file);
      expect(await templateFiles.listTemplateFiles(path.join(cwd, `tree-${kind}`))).toEqual([...expected].sort());
    });

    test('npx create-interop-module from the registry generates, installs and builds it; its own npm test passes', async () => {
      const cwd = path.join(scratch, 'packages');
      await mkdir(cwd, { recursive: true });
      const name = `demo-${kind}`;
      // As a user runs it: only the registry set, no --runtime.
      const cliOutput = await run(`npx create-interop-module ${kind}`, 'npx', ['-y', 'create-interop-module', name, '--kind', kind, '--yes'], cwd, registryEnv);
      console.log(cliOutput);
      const manifest = JSON.parse(await readFile(path.join(cwd, name, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      expect(manifest.dependencies['@interop-module/runtime'], 'the runtime, by version').toBe(`^${runtimeVersion}`);
      // The CLI reports its own steps as "<step> done in <seconds>s".
      for (const [, step, seconds] of cliOutput.matchAll(/^(generate|install|build) done in ([\d.]+)s$/gm)) {
        timings.push({ label: `  ${kind} ${step} (inside the CLI)`, seconds: Number(seconds) });
      }
      const packageDir = path.join(cwd, name);
      // Recorded before testing so the other Node versions still report their own results.
      generated.set(kind, packageDir);
      // Two functions of the user's own (issue 13), added by the packed CLI from inside the package: one
      // offloaded bytes → u32, one with string and u32 arguments returning a string, sync where the kind
      // has sync functions (a port has none: there --sync is refused, exit 2, nothing written).
      const sync = generators.readKind(kind).hashSync;
      const rotateArgs = ['add', 'rotateText', '--arg', 'text:string', '--arg', 'count:u32', '--returns', 'string'];
      const addStarted = performance.now();
      const added = await run(`add checksum ${kind}`, bin, ['add', 'checksum', '--arg', 'data:bytes', '--returns', 'u32'], packageDir);
      timings.push({ label: `  ${kind} add checksum (no build)`, seconds: (performance.now() - addStarted) / 1000 });
      expect(added).toMatch(/^Added checksum\(data: bytes\) -> u32, offloaded to the \w+ package/m);
      if (!sync) {
        const refused = await runExpectingFailure(`add rotateText --sync ${kind}`, bin, [...rotateArgs, '--sync'], packageDir);
        expect(refused).toMatchObject({ exitCode: 2, output: expect.stringContaining('asynchronous by nature') });
      }
      console.log(await run(`add rotateText ${kind}`, bin, [...rotateArgs, ...(sync ? ['--sync'] : [])], packageDir));
      // Running it again with the same arguments changes nothing.
      expect(await run(`add checksum again ${kind}`, bin, ['add', 'checksum', '--arg', 'data:bytes', '--returns', 'u32'], packageDir)).toContain('nothing changed');
      const testOutput = await run(`npm test ${kind} (builds in pretest)`, 'npm', ['test'], packageDir);
      expectTestsRan(testOutput, kind);
      for (const file of ['checksum', 'rotateText']) expect(testOutput.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(new RegExp(`✓ test/functions/${file}\\.test\\.ts`));

      const bench = await run(`npm run bench ${kind}`, 'npm', ['run', 'bench'], packageDir);
      const hasherVerdict = /^hashStream reaches ([\d.]+)× createHash's throughput.*$/m.exec(bench);
      console.log(`[templates e2e] ${kind} bench of hashStream over 64 MiB: ${hasherVerdict?.[0] ?? 'no verdict printed'}`);
      expect(hasherVerdict, 'bench/hasher.mjs verdict').not.toBeNull();
      expect(Number(hasherVerdict![1])).toBeGreaterThan(0);
      // napi's target (≥ 0.9×) is the bench's verdict, not this test's, as the wrapper's below.
      if (kind === 'napi') expect(hasherVerdict![0]).toMatch(/\(target ≥ 0\.9×: (yes|NO)\)$/);
      const rows = benchRows(bench);
      console.log(`[templates e2e] ${kind} bench of the added functions:\n${rows.map((row) => `  ${JSON.stringify(row)}`).join('\n')}`);
      expect(rows.map((row) => `${row.function} ${row.input}`)).toEqual(['checksum 0 B', 'checksum 64 KiB', 'rotateText 0 B', 'rotateText 64 KiB']);
      for (const row of rows) expect(row['backend ÷ reference'], `${row.function} ${row.input}`).toBeGreaterThan(0);
      if (kind === 'napi') {
        // Beside the raw binding; its target (≤ 1.25× at 0 B) is the bench's verdict, not this test's: a speed
        // target in a test would judge the machine it runs on.
        for (const row of rows) expect(row['wrapper ÷ binding'], `${row.function} ${row.input}: wrapper ÷ binding`).toBeGreaterThan(0);
        expect(bench).toMatch(/the wrapper costs [\d.]+× the raw binding at 0 B \(target ≤ 1\.25×: (yes|NO)\)/);
      }
    });

    test('its vendored interop-module crate is packages/interop-module-rs, file for file', async () => {
      const packageDir = generated.get(kind);
      if (packageDir === undefined) throw new Error(`the ${kind} package was not generated; see the test above`);
      const vendored = await vendoredCrateFiles(packageDir);
      if (vendored.length === 0) {
        expect(generators.readKind(kind).needs.build, 'a kind without a Rust crate needs no Rust').not.toContain('rust');
        return;
      }
      const vendoredDir = path.join(packageDir, companionCrate.vendoredCrateDir);
      const files = await companionCrate.companionCrateFiles();
      expect(await companionCrate.companionCrateFiles(vendoredDir)).toEqual(files);
      for (const file of files) {
        expect(await readFile(path.join(vendoredDir, file)), file).toEqual(await readFile(path.join(companionCrate.companionCrateDir, file)));
      }
    });

    test('its Rust unit tests pass (cargo test, as its CI workflow runs them)', async () => {
      const packageDir = generated.get(kind);
      if (packageDir === undefined) throw new Error(`the ${kind} package was not generated; see the test above`);
      if (!existsSync(path.join(packageDir, 'Cargo.toml'))) {
        expect(generators.readKind(kind).needs.build, 'a kind without a Rust crate needs no Rust').not.toContain('rust');
        return;
      }
      const output = await run(`cargo test ${kind}`, 'cargo', ['test'], packageDir);
      expect(output).toMatch(/^test result: ok\. [1-9]\d* passed; 0 failed/m);
      // As its CI workflow checks: the Rust that `add` wrote above is formatted as rustfmt would.
      await run(`cargo fmt --check ${kind}`, 'cargo', ['fmt', '--check'], packageDir);
    });

    for (const nodeVersion of otherNodeVersions) {
      test(`the generated suite passes under Node ${nodeVersion}`, async () => {
        const packageDir = generated.get(kind);
        if (packageDir === undefined) throw new Error(`the ${kind} package was not generated; see the test above`);
        const nodeFromNpm = ['-y', '-p', `node@${nodeVersion}`, '--', 'node'];
        const version = await run(`node@${nodeVersion} --version`, 'npx', [...nodeFromNpm, '--version'], packageDir);
        expect(version.trim()).toMatch(new RegExp(`^v${nodeVersion}\\.`));
        // The suite runs on the build `npm test` made above (pretest), so only vitest runs here.
        const output = await run(
          `vitest ${kind} under Node ${nodeVersion}`,
          'npx',
          [...nodeFromNpm, './node_modules/vitest/vitest.mjs', 'run'],
          packageDir,
        );
        expectTestsRan(output, `${kind} on Node ${nodeVersion}`);
      });
    }

    test('consumers of its packed package compile with every TypeScript (ESM and CommonJS), then import, require() and call it', async () => {
      const packageDir = generated.get(kind);
      if (packageDir === undefined) throw new Error(`the ${kind} package was not generated; see the test above`);
      const tarballs = path.join(scratch, 'tarballs', kind);
      await mkdir(tarballs, { recursive: true });
      const platformDirs = await platformPackages(matrixOptions, packageDir);
      const packed = [await pack(packageDir, tarballs)];
      for (const platformDir of platformDirs) packed.push(await pack(platformDir, tarballs));
      await checkConsumers(kindConsumer(kind, path.basename(packageDir), [...packed, runtimeTarball]), {
        exports: { main: true, testing: true },
        backend: kind,
        hash: sha256OfAbc,
        refused: 'ERR_INVALID_ARG',
      });
    });

    test('its own release job runs for real to the registry (gate first); a project without Rust installs it from there, loads it and calls every export; a tampered binary is refused', async () => {
      const packageDir = generated.get(kind);
      if (packageDir === undefined || registry === undefined) throw new Error(`the ${kind} package was not generated; see the test above`);
      const name = path.basename(packageDir);
      const workflow = await readWorkflow(packageDir);
      const { job } = releaseJob(workflow);
      // What the build job would upload for this machine, from the package's own build (npm test's pretest).
      const artifacts = await hostArtifacts(packageDir, workflow);
      // A release starts from a checkout: nothing of the consumer matrix's packing (npm/) is left.
      await rm(path.join(packageDir, 'npm'), { recursive: true, force: true });
      await rm(path.join(packageDir, 'artifacts'), { recursive: true, force: true });
      const manifestFile = path.join(packageDir, 'package.json');
      const host = hostBuild(workflow);
      if (host?.['target'] !== undefined) {
        // napi: this machine builds its own target only, so the release ships that platform package.
        const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { napi: { targets: string[] } };
        manifest.napi.targets = [host['target']];
        await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
      }

      const releaseEnv = { ...registryEnv, NODE_AUTH_TOKEN: 'local-registry-dummy-token' };
      const started = performance.now();
      let gateOutput = '';
      for (const step of job.steps) {
        if (isRunnerSetup(step)) continue;
        if (step.uses?.startsWith('actions/download-artifact')) {
          console.log(`[templates e2e] release ${kind}: download-artifact ${(await downloadArtifacts(packageDir, step, artifacts)).join(', ')}`);
          continue;
        }
        const command = step.uses?.startsWith('changesets/action') ? String(step.with?.['publish']) : step.run;
        if (command === undefined) throw new Error(`the ${kind} release job has a step this test cannot run: ${step.uses}`);
        const output = await run(`release ${kind}: ${command.split('\n')[0]}`, 'bash', ['-e', '-c', command], packageDir, releaseEnv);
        if (command === 'npm run release:gate') gateOutput = output;
      }
      const publishSeconds = (performance.now() - started) / 1000;
      console.log(gateOutput);
      expect(gateOutput).toMatch(/publishing may go ahead/);
      const tarballs = Object.fromEntries([...gateOutput.matchAll(/^release gate: packed (\S+) \(\d+ files, (\d+) bytes\)$/gm)].map(([, file, bytes]) => [file!, Number(bytes)]));

      const published = JSON.parse(await run(`npm view ${name}`, 'npm', ['view', name, '--json'], scratch, registryEnv)) as {
        version: string;
        optionalDependencies?: Record<string, string>;
      };
      expect(published.version).toBe('0.1.0');
      const platformPackages = Object.keys(published.optionalDependencies ?? {}).filter((dependency) => dependency.startsWith(`${name}-`));
      expect(platformPackages, 'platform packages').toEqual(kind === 'napi' ? [`${name}-linux-x64-gnu`] : kind === 'port' ? [`${name}-linux-x64`] : []);
      for (const platformPackage of platformPackages) {
        const platform = JSON.parse(await run(`npm view ${platformPackage}`, 'npm', ['view', platformPackage, '--json'], scratch, registryEnv)) as { os: string[]; cpu: string[] };
        expect(platform.os).toEqual(['linux']);
        expect(platform.cpu).toEqual(['x64']);
      }

      // A user's project: the registry, and a PATH with node and npm but no cargo, rustc or rustup.
      const consumer = path.join(scratch, 'release-consumers', kind);
      await mkdir(consumer, { recursive: true });
      await writeFile(path.join(consumer, 'package.json'), '{ "private": true, "type": "module" }\n');
      const noRust: NodeJS.ProcessEnv = {
        ...Object.fromEntries(Object.entries(registryEnv).filter(([key]) => !/^(CARGO|RUSTUP|RUSTC)/.test(key))),
        PATH: await pathWithoutRust(path.join(scratch, 'no-rust-bin', kind)),
        CARGO_HOME: path.join(scratch, 'no-cargo-home'),
        RUSTUP_HOME: path.join(scratch, 'no-rustup-home'),
      };
      const probe = await exec('probe for Rust', 'sh', ['-c', 'command -v cargo || command -v rustc || command -v rustup'], consumer, noRust);
      expect(probe.exitCode, `Rust on the consumer's PATH: ${probe.stdout}`).not.toBe(0);
      const install = await exec(`install ${name} from the registry (no Rust)`, 'npm', ['install', '--no-audit', '--no-fund', name], consumer, noRust);
      expect(install.exitCode, install.output).toBe(0);
      await copyFile(path.join(packageDir, 'scripts', 'smoke.mjs'), path.join(consumer, 'smoke.mjs'));
      const smoke = JSON.parse(await run(`smoke ${name}`, 'node', ['smoke.mjs', name], consumer, noRust)) as { backend: string; firstCallMs: number; checks: Record<string, boolean> };
      expect(smoke.backend).toBe(kind);
      expect(Object.entries(smoke.checks).filter(([, passed]) => !passed), 'failed checks').toEqual([]);

      const report: ReleaseReport = { kind, publishSeconds, installSeconds: install.seconds, firstCallMs: smoke.firstCallMs, tarballs };
      releases.push(report);
      const installed = path.join(consumer, 'node_modules', name);
      if (!existsSync(path.join(installed, 'integrity.json'))) {
        expect(generators.readKind(kind).needs.build, 'a kind without integrity.json ships no binary').not.toContain('rust');
        return;
      }
      // Each listed binary, found where npm installed it (the main package, or a platform package).
      const { binaries } = JSON.parse(await readFile(path.join(installed, 'integrity.json'), 'utf8')) as { binaries: Record<string, string> };
      const candidates: string[] = [];
      for (const folder of (await readdir(path.join(consumer, 'node_modules'))).filter((entry) => entry === name || entry.startsWith(`${name}-`))) {
        for (const file of await readdir(path.join(consumer, 'node_modules', folder), { recursive: true })) candidates.push(path.join(consumer, 'node_modules', folder, file));
      }
      const found = new Map<string, string>();
      for (const file of candidates) {
        const bytes = await readFile(file).catch(() => undefined);
        if (bytes === undefined) continue;
        const digest = createHash('sha256').update(bytes).digest('hex');
        for (const [binary, expected] of Object.entries(binaries)) if (expected === digest) found.set(binary, file);
      }
      expect([...found.keys()], 'the binaries integrity.json lists, installed').toEqual(Object.keys(binaries));
      const [[binaryName, binaryFile]] = [...found] as [[string, string]];

      // The check's own cost on first load: reading and hashing the binary (then remembered).
      await writeFile(
        path.join(consumer, 'integrity-cost.mjs'),
        `import { statSync } from 'node:fs';
import { verifyBinary } from '@interop-module/runtime/integrity';
const [packageRoot, name, file] = process.argv.slice(2);
let started = performance.now();
verifyBinary({ packageRoot, name, file });
const firstMs = performance.now() - started;
// Later loads in the process: a stat, the digest remembered (the median of 21).
const again = [];
for (let i = 0; i < 21; i++) {
  started = performance.now();
  verifyBinary({ packageRoot, name, file });
  again.push(performance.now() - started);
}
console.log(JSON.stringify({ bytes: statSync(file).size, firstMs, againMs: again.sort((a, b) => a - b)[10] }));
`,
      );
      report.integrity = JSON.parse(await run(`integrity check cost ${kind}`, 'node', ['integrity-cost.mjs', installed, binaryName, binaryFile], consumer, noRust));

      // Tampered after install: one byte appended. The user's first call fails, saying what and how to fix it.
      const original = await readFile(binaryFile);
      await appendFile(binaryFile, Buffer.from([0]));
      const tampered = await exec(`smoke ${name} (tampered)`, 'node', ['smoke.mjs', name], consumer, noRust);
      await writeFile(binaryFile, original);
      expect(tampered.exitCode).not.toBe(0);
      expect(tampered.stderr).toMatch(/ERR_NATIVE_INTEGRITY: refusing to load /);
      expect(tampered.stderr).toContain(binaryFile);
      expect(tampered.stderr).toContain(binaries[binaryName]!);
      report.tamperMessage = tampered.stderr.trim();
    });
  });
});
