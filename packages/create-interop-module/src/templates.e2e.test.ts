// Template tests (slow, tag "slow"; part of `npm test`, alone with `npm run test:templates`): the packed CLI, installed
// from its tarball outside the repository, generates every kind; each generated package is
// installed against a packed @interop-module/runtime, built and tested with its own `npm test`.
// The consumer matrix (test-support/consumer-matrix.ts) then packs each package and the runtime,
// type-checks a consumer of each with several TypeScripts as ESM and CommonJS, and runs it.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
  napiPlatformPackages,
  nodeBinaries,
  runConsumer,
  runtimeConsumer,
  typeCheck,
  type ConsumerSpec,
  type MatrixOptions,
  type TypeScriptInstalls,
} from './test-support/consumer-matrix.js';
import { runCommand, runCommandOk, type CommandOptions } from './test-support/command.js';
import { loadGeneratorHelpers } from './test-support/generator-helpers.js';

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

/** Runs a command that must succeed; resolves with its stdout. */
function run(label: string, command: string, args: readonly string[], cwd: string): Promise<string> {
  return runCommandOk(commandOptions, label, command, args, cwd);
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

describe('templates e2e: packed CLI -> generate -> install -> build -> npm test', { tags: ['slow'] }, () => {
  let scratch = '';
  let bin = '';
  let runtimeTarball = '';
  const generated = new Map<string, string>();

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
    runtimeTarball = await pack(runtimeRoot, scratch);
    // dist/ and assets/ are fresh: the vitest global setup built this package.
    const cliTarball = await pack(packageRoot, scratch);
    const cliHome = path.join(scratch, 'cli');
    await mkdir(cliHome);
    await writeFile(path.join(cliHome, 'package.json'), '{ "private": true }\n');
    // The CLI depends on the runtime (its toolchain probe), which is not on the registry yet.
    await run('install CLI tarball', 'npm', ['install', '--no-audit', '--no-fund', runtimeTarball, cliTarball], cliHome);
    bin = path.join(cliHome, 'node_modules', '.bin', 'create-interop-module');
  }, 10 * 60 * 1000);

  afterAll(async () => {
    if (matrixRows.length > 0) console.log(`[templates e2e] consumer matrix (tsc diagnostics per file):\n${matrixRows.join('\n')}`);
    console.log(`[templates e2e] timings:\n${timings.map(({ label, seconds }) => `  ${label.padEnd(48)} ${seconds.toFixed(1)}s`).join('\n')}`);
    if (scratch !== '') await rm(scratch, { recursive: true, force: true });
  });

  test('there are kinds to test', () => {
    expect(kinds).toEqual(expect.arrayContaining(['napi', 'pure']));
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

    test('generate + install + build with the packed CLI, then the package\'s own npm test passes', async () => {
      const cwd = path.join(scratch, 'packages');
      await mkdir(cwd, { recursive: true });
      const name = `demo-${kind}`;
      const cliOutput = await run(
        `generate+install+build ${kind}`,
        bin,
        [name, '--kind', kind, '--yes', '--pm', 'npm', '--runtime', runtimeTarball],
        cwd,
      );
      console.log(cliOutput);
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
      const packed = [await pack(packageDir, tarballs)];
      for (const platformDir of await napiPlatformPackages(matrixOptions, packageDir)) packed.push(await pack(platformDir, tarballs));
      await checkConsumers(kindConsumer(kind, path.basename(packageDir), [...packed, runtimeTarball]), {
        exports: { main: true, testing: true },
        backend: kind,
        hash: sha256OfAbc,
        refused: 'ERR_INVALID_ARG',
      });
    });
  });
});
