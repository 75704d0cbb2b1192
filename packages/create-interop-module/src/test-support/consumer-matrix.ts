/**
 * The consumer matrix of the template e2e: for a published package (the runtime, or a generated kind
 * packed with `npm pack`), a consumer project that installs its tarball, is type-checked by every
 * TypeScript in `consumerTypeScriptVersions` as an ES module (.mts) and as CommonJS (.cts), with
 * `skipLibCheck: false`, and then runs for real under several Node versions.
 *
 * Each consumer has three files with the same body: `esm.mts` (`import * as`), `require.cts`
 * (`import x = require()`, emitted as `require()`) and `import.cts` (`await import()` from CommonJS,
 * what a CommonJS project on a TypeScript without require(esm) writes).
 */
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCommand, runCommandOk, type CommandOptions } from './command.js';

/**
 * The TypeScripts consumers still compile with: the oldest 5.x in use, the 5.x many projects stopped at,
 * the last 5.x, and the 6.x and 7.x lines (exact versions, so a run is reproducible).
 */
export const consumerTypeScriptVersions = ['5.0.4', '5.4.5', '5.9.3', '6.0.3', '7.0.2'] as const;

/**
 * Node's own types for the consumers: those of Node 20, the oldest Node the packages support
 * (`engines: >=20.17`); the packages' declarations use Node types (Buffer, NodeJS.Signals, node:events).
 */
const nodeTypes = '@types/node@20';

export type ConsumerFormat = 'esm' | 'require' | 'import';
const sourceFiles: Record<ConsumerFormat, string> = { esm: 'esm.mts', require: 'require.cts', import: 'import.cts' };

/** How the matrix runs commands: the e2e's environment (without an outer npm's npm_* variables) and timing table. */
export type MatrixOptions = CommandOptions;

export interface TypeScriptInstall {
  version: string;
  /** Its tsc, run directly against each consumer's tsconfig. */
  tsc: string;
  /** True from TypeScript 5.8: under `module: nodenext` a CommonJS file may require() an ES module. */
  requiresEsm: boolean;
}

/** Where `nodeTypes` is installed; each consumer's tsconfig points its typeRoots here. */
export interface TypeScriptInstalls {
  versions: TypeScriptInstall[];
  typeRoots: string;
}

/**
 * Installs every TypeScript once, side by side in one folder under npm aliases (`typescript-5.0.4` …),
 * with `nodeTypes`: one npm install that every consumer shares.
 */
export async function installTypeScripts(options: MatrixOptions, directory: string): Promise<TypeScriptInstalls> {
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, 'package.json'), '{ "private": true }\n');
  const alias = (version: string) => `typescript-${version}`;
  const specs = consumerTypeScriptVersions.map((version) => `${alias(version)}@npm:typescript@${version}`);
  await runCommandOk(options, 'install TypeScript versions', 'npm', ['install', '--no-audit', '--no-fund', ...specs, nodeTypes], directory);
  const versions = await Promise.all(
    consumerTypeScriptVersions.map(async (version) => {
      const packageDir = path.join(directory, 'node_modules', alias(version));
      const manifest = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as { bin: { tsc: string } };
      const [major = 0, minor = 0] = version.split('.').map(Number);
      return { version, tsc: path.join(packageDir, manifest.bin.tsc), requiresEsm: major > 5 || (major === 5 && minor >= 8) };
    }),
  );
  return { versions, typeRoots: path.join(directory, 'node_modules', '@types') };
}

/**
 * The Node binary of each major version, found once through `npx -p node@<major>` (the same way the
 * e2e runs the generated suites on them), so each consumer run starts Node directly.
 */
export async function nodeBinaries(options: MatrixOptions, majors: readonly string[], cwd: string): Promise<Map<string, string>> {
  const binaries = new Map<string, string>();
  for (const major of majors) {
    const execPath = await runCommandOk(options, `find node@${major}`, 'npx', ['-y', '-p', `node@${major}`, '--', 'node', '-p', 'process.execPath'], cwd);
    binaries.set(major, execPath.trim());
  }
  return binaries;
}

export interface ConsumerSpec {
  /** The consumer folder's name. */
  name: string;
  /** Tarballs `npm install` puts in the consumer. */
  tarballs: readonly string[];
  /** Each module the consumer loads, by the name its code binds it to: `{ main: 'demo', testing: 'demo/testing' }`. */
  bindings: Readonly<Record<string, string>>;
  /** TypeScript statements run inside an async function with the bindings in scope. */
  body: string;
  /** An object expression over the body's values: what the consumer prints as JSON. */
  result: string;
}

/**
 * A consumer of a generated package: loads both its entries, hashes "abc", passes a string (which
 * must be refused with an InteropError of code ERR_INVALID_ARG) and closes it.
 */
export function kindConsumer(kind: string, packageName: string, tarballs: readonly string[]): ConsumerSpec {
  return {
    name: `consumer-${kind}`,
    tarballs,
    bindings: { main: packageName, testing: `${packageName}/testing` },
    body: `
const digest: Uint8Array = await main.hash(new TextEncoder().encode('abc'), { timeoutMs: 30_000 });
const refusal: unknown = await main.hash('abc' as unknown as Uint8Array).then(() => undefined, (error: unknown) => error);
await main.close();`,
    result: `{ backend: main.backend, hash: Buffer.from(digest).toString('hex'), refused: refusal instanceof main.InteropError ? refusal.code : String(refusal) }`,
  };
}

/** A consumer of the runtime alone: every entry of its exports map, an error across entries, a timeout. */
export function runtimeConsumer(tarball: string): ConsumerSpec {
  return {
    name: 'consumer-runtime',
    tarballs: [tarball],
    bindings: {
      main: '@interop-module/runtime',
      testing: '@interop-module/runtime/testing',
      port: '@interop-module/runtime/port',
      wasm: '@interop-module/runtime/wasm',
    },
    body: `
const fromWasmEntry: unknown = new wasm.InteropError('ERR_PROTOCOL', 'made by the wasm entry');
const late: unknown = await main.withCallOptions({ timeoutMs: 1 }, () => new Promise<never>(() => {})).catch((error: unknown) => error);`,
    result: `{ sameError: fromWasmEntry instanceof main.InteropError && main.isInteropError(fromWasmEntry, 'ERR_PROTOCOL'), late: main.isInteropError(late) ? late.code : String(late), createPort: typeof port.createPort, runInChild: typeof testing.runInChild }`,
  };
}

/**
 * The napi and port kinds' tarballs hold no binary: their release workflows publish each platform's
 * binary in a package of its own, which the loader finds. This makes those packages the same way for
 * the binary built here and returns their folders, to pack (before the main package: the port's script
 * lists them in its package.json). napi: npm/<platform>/ from `napi create-npm-dirs`; port: npm/<platform>-<arch>/
 * from its own scripts/platform-packages.mjs. Other packages have none.
 */
export async function platformPackages(options: MatrixOptions, packageDir: string): Promise<string[]> {
  const { napi } = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as { napi?: { binaryName: string } };
  if (napi === undefined) return portPlatformPackages(options, packageDir);
  await runCommandOk(options, 'napi create-npm-dirs', 'npx', ['--no-install', 'napi', 'create-npm-dirs'], packageDir);
  const platformDirs: string[] = [];
  for (const file of await readdir(packageDir)) {
    if (!file.startsWith(`${napi.binaryName}.`) || !file.endsWith('.node')) continue;
    const platformDir = path.join(packageDir, 'npm', file.slice(napi.binaryName.length + 1, -'.node'.length));
    await copyFile(path.join(packageDir, file), path.join(platformDir, file));
    platformDirs.push(platformDir);
  }
  if (platformDirs.length === 0) throw new Error(`no ${napi.binaryName}.<platform>.node in ${packageDir}; did the build run?`);
  return platformDirs;
}

/** A port package's platform package for the executable `npm run build` made (none for another kind). */
async function portPlatformPackages(options: MatrixOptions, packageDir: string): Promise<string[]> {
  const script = path.join(packageDir, 'scripts', 'platform-packages.mjs');
  const platform = `${process.platform}-${process.arch}`;
  const built = path.join(packageDir, 'dist', 'bin', platform);
  const hasScript = await readFile(script).then(() => true, () => false);
  if (!hasScript) return [];
  const artifacts = path.join(packageDir, 'artifacts');
  await mkdir(path.join(artifacts, `port-${platform}`), { recursive: true });
  for (const file of await readdir(built)) await copyFile(path.join(built, file), path.join(artifacts, `port-${platform}`, file));
  await runCommandOk(options, 'port platform packages', process.execPath, [script, artifacts], packageDir);
  return [path.join(packageDir, 'npm', platform)];
}

export interface Consumer {
  spec: ConsumerSpec;
  directory: string;
}

/** A consumer of `spec`'s tarballs in `directory`, its three source files and a tsconfig per TypeScript. */
export async function createConsumer(options: MatrixOptions, directory: string, spec: ConsumerSpec, typeScripts: TypeScriptInstalls): Promise<Consumer> {
  await mkdir(directory, { recursive: true });
  // No "type": the .mts and .cts extensions say each file's format.
  await writeFile(path.join(directory, 'package.json'), '{ "private": true }\n');
  await runCommandOk(options, `install ${spec.name}`, 'npm', ['install', '--no-audit', '--no-fund', ...spec.tarballs], directory);

  const names = Object.keys(spec.bindings);
  const loadStatements: Record<ConsumerFormat, string[]> = {
    esm: Object.entries(spec.bindings).map(([name, specifier]) => `import * as ${name} from '${specifier}';`),
    require: Object.entries(spec.bindings).map(([name, specifier]) => `import ${name} = require('${specifier}');`),
    import: [],
  };
  const loadInside = Object.entries(spec.bindings).map(([name, specifier]) => `  const ${name} = await import('${specifier}');`);
  for (const format of Object.keys(sourceFiles) as ConsumerFormat[]) {
    const source = [
      ...loadStatements[format],
      '',
      'async function consume() {',
      ...(format === 'import' ? loadInside : []),
      ...spec.body.trim().split('\n').map((line) => `  ${line}`),
      // Every binding used as a value, so none is elided from the emitted code.
      `  return { exports: { ${names.map((name) => `${name}: Object.keys(${name}).length > 0`).join(', ')} }, ...${spec.result} };`,
      '}',
      '',
      'consume().then((outcome) => console.log(JSON.stringify(outcome)));',
      '',
    ].join('\n');
    await writeFile(path.join(directory, sourceFiles[format]), source);
  }

  for (const { version } of typeScripts.versions) {
    const tsconfig = {
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        // A Node project's lib (as @tsconfig/node20 has it): no DOM, so declarations must not lean on it.
        lib: ['es2022'],
        strict: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [typeScripts.typeRoots],
        outDir: `out/typescript-${version}`,
      },
      files: Object.values(sourceFiles),
    };
    await writeFile(path.join(directory, `tsconfig.typescript-${version}.json`), `${JSON.stringify(tsconfig, null, 2)}\n`);
  }
  return { spec, directory };
}

export interface Diagnostic {
  file: string;
  code: string;
  message: string;
}

/** Type-checks (and emits) the consumer with one TypeScript; its diagnostics, as `tsc` printed them. */
export async function typeCheck(options: MatrixOptions, consumer: Consumer, typeScript: TypeScriptInstall): Promise<Diagnostic[]> {
  const result = await runCommand(
    options,
    `tsc ${typeScript.version} ${consumer.spec.name}`,
    typeScript.tsc,
    ['-p', `tsconfig.typescript-${typeScript.version}.json`, '--pretty', 'false'],
    consumer.directory,
  );
  const diagnostics = [...result.stdout.matchAll(/^(.+?)(?:\(\d+,\d+\))?: error (TS\d+): (.*)$/gm)].map(([, file, code, message]) => ({
    file: file!,
    code: code!,
    message: message!,
  }));
  if (result.exitCode !== 0 && diagnostics.length === 0) {
    throw new Error(`tsc ${typeScript.version} failed on ${consumer.spec.name} without diagnostics:\n${result.output}`);
  }
  return diagnostics;
}

/**
 * What each TypeScript must report: nothing, except that before 5.8 a CommonJS file cannot
 * `import x = require()` an ES module (TS1471, one per binding of require.cts) — those versions do not
 * know require(esm), so such projects use `await import()` (import.cts), which they accept.
 */
export function expectedDiagnostics(consumer: Consumer, typeScript: TypeScriptInstall): Diagnostic[] {
  if (typeScript.requiresEsm) return [];
  return Object.values(consumer.spec.bindings).map((specifier) => ({
    file: sourceFiles.require,
    code: 'TS1471',
    message: `Module '${specifier}' cannot be imported using this construct. The specifier only resolves to an ES module, which cannot be imported with 'require'. Use an ECMAScript import instead.`,
  }));
}

/** Runs the code one TypeScript emitted, in each format, with `node`; what each printed. */
export async function runConsumer(
  options: MatrixOptions,
  consumer: Consumer,
  typeScript: TypeScriptInstall,
  node: { label: string; binary: string },
): Promise<Record<ConsumerFormat, unknown>> {
  const outcomes = {} as Record<ConsumerFormat, unknown>;
  for (const [format, file] of Object.entries(sourceFiles) as [ConsumerFormat, string][]) {
    const emitted = path.join('out', `typescript-${typeScript.version}`, file.replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs'));
    const stdout = await runCommandOk(options, `node ${node.label} ${consumer.spec.name} ${format}`, node.binary, [emitted], consumer.directory);
    outcomes[format] = JSON.parse(stdout);
  }
  return outcomes;
}
