import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './options.js';

/** One thing `doctor` looks for: whether it is there, what was found, and the command that fixes it. */
export interface Check {
  name: string;
  ok: boolean;
  found: string;
  fix: string;
  /** Kinds that cannot build without it. */
  neededBy: readonly string[];
}

/** What doctor reads from the machine; tests pass their own. */
export interface Probe {
  /** A command's trimmed stdout, or undefined when it is missing or fails. */
  output(command: string, args: readonly string[]): string | undefined;
  exists(file: string): boolean;
  list(directory: string): readonly string[];
  nodeVersion: string;
  env: NodeJS.ProcessEnv;
}

export const machineProbe: Probe = {
  output(command, args) {
    try {
      return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim();
    } catch {
      return undefined;
    }
  },
  exists: (file) => existsSync(file),
  list: (directory) => (existsSync(directory) ? readdirSync(directory) : []),
  nodeVersion: process.versions.node,
  env: process.env,
};

const wasmTarget = 'wasm32-unknown-unknown';
/** Kinds with a Rust crate; those building a host binary (napi addon, port executable) also link with cc. */
const rustKinds = ['napi', 'port', 'wasm'];
const hostBinaryKinds = ['napi', 'port'];

function firstLine(text: string | undefined): string {
  return text?.split('\n')[0] ?? 'not found';
}

/** rustup's route: the rustc on PATH has a compiled core for wasm32. */
function rustupWasmTarget(probe: Probe): string | undefined {
  const libdir = probe.output('rustc', ['--print', 'target-libdir', '--target', wasmTarget]);
  if (libdir === undefined) return undefined;
  return probe.list(libdir).some((file) => file.startsWith('libcore-')) ? libdir : undefined;
}

/** The build-std route: a rustc whose std source is installed, a cargo beside it, and wasm-ld. */
function buildStdWasm(probe: Probe): string | undefined {
  if (probe.output('sh', ['-c', 'command -v wasm-ld']) === undefined) return undefined;
  const candidates = [probe.output('sh', ['-c', 'command -v rustc']), '/usr/bin/rustc'];
  for (const rustc of candidates) {
    if (rustc === undefined) continue;
    const sysroot = probe.output(rustc, ['--print', 'sysroot']);
    if (sysroot === undefined) continue;
    const hasSource = probe.exists(path.join(sysroot, 'lib/rustlib/src/rust/library/Cargo.lock'));
    if (hasSource && probe.exists(path.join(path.dirname(rustc), 'cargo'))) return `${rustc} (${firstLine(probe.output(rustc, ['--version']))})`;
  }
  return undefined;
}

export function runChecks(probe: Probe): Check[] {
  const [major = 0, minor = 0] = probe.nodeVersion.split('.').map(Number);
  const npm = probe.output('npm', ['--version']);
  const rustc = probe.output('rustc', ['--version']);
  const cargo = probe.output('cargo', ['--version']);
  const cc = probe.output('cc', ['--version']);
  const rustup = rustupWasmTarget(probe);
  const buildStd = buildStdWasm(probe);
  const chromium = probe.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  return [
    {
      name: 'node ≥ 20.17',
      ok: major > 20 || (major === 20 && minor >= 17),
      found: `v${probe.nodeVersion}`,
      fix: 'install Node 20.17 or newer (https://nodejs.org)',
      neededBy: ['*'],
    },
    { name: 'npm', ok: npm !== undefined, found: npm ?? 'not found', fix: 'install npm (it ships with Node)', neededBy: ['*'] },
    { name: 'rustc', ok: rustc !== undefined, found: firstLine(rustc), fix: 'curl https://sh.rustup.rs -sSf | sh', neededBy: rustKinds },
    { name: 'cargo', ok: cargo !== undefined, found: firstLine(cargo), fix: 'curl https://sh.rustup.rs -sSf | sh', neededBy: rustKinds },
    { name: 'C compiler (cc)', ok: cc !== undefined, found: firstLine(cc), fix: 'apt-get install build-essential', neededBy: hostBinaryKinds },
    {
      name: `${wasmTarget} (rustup target)`,
      ok: rustup !== undefined,
      found: rustup ?? 'not installed',
      fix: `rustup target add ${wasmTarget}`,
      neededBy: [],
    },
    {
      name: `${wasmTarget} (std source + build-std)`,
      ok: buildStd !== undefined,
      found: buildStd ?? 'no rustc with its std source, or no wasm-ld',
      fix: 'apt-get install rustc-web cargo-web rust-web-src lld',
      neededBy: [],
    },
    {
      name: `${wasmTarget} builds`,
      ok: rustup !== undefined || buildStd !== undefined,
      found: rustup !== undefined ? 'through rustup’s target' : buildStd !== undefined ? 'through build-std' : 'no route',
      fix: `rustup target add ${wasmTarget}   (or, where rustup cannot download: apt-get install rustc-web cargo-web rust-web-src lld)`,
      neededBy: ['wasm'],
    },
    {
      name: 'chromium (browser test of the wasm kind)',
      ok: probe.exists(chromium),
      found: probe.exists(chromium) ? chromium : `${chromium} not found`,
      fix: 'apt-get install chromium   (or set CHROMIUM_PATH)',
      neededBy: ['wasm'],
    },
  ];
}

function needed(check: Check, kind: string): boolean {
  return check.neededBy.includes('*') || check.neededBy.includes(kind);
}

/** The report and exit code: 1 when a kind asked for (--kind) cannot be built and tested here, else 0. */
export function doctorReport(checks: readonly Check[], kinds: readonly string[]): { text: string; exitCode: number } {
  const lines = checks.map((check) => {
    const mark = check.ok ? 'ok     ' : 'missing';
    const fix = check.ok ? '' : `\n          fix: ${check.fix}`;
    return `${mark}  ${check.name}: ${check.found}${fix}`;
  });
  let exitCode = 0;
  for (const kind of kinds) {
    const blocking = checks.filter((check) => !check.ok && needed(check, kind));
    lines.push(
      blocking.length === 0
        ? `kind ${kind}: can build and test here`
        : `kind ${kind}: cannot build and test here (missing: ${blocking.map((check) => check.name).join(', ')})`,
    );
    if (blocking.length > 0) exitCode = 1;
  }
  return { text: `${lines.join('\n')}\n`, exitCode };
}

/** `create-interop-module doctor [--kind <kind>]...`: returns the exit code. */
export function runDoctor(
  argv: readonly string[],
  knownKinds: readonly string[],
  output: { write(text: string): unknown },
  probe: Probe = machineProbe,
): number {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { kind: { type: 'string', multiple: true } }, strict: true }));
  } catch (error) {
    throw new UsageError(`doctor: ${(error as Error).message}`);
  }
  const kinds = values.kind ?? [];
  const unknown = kinds.filter((kind) => !knownKinds.includes(kind));
  if (unknown.length > 0) {
    throw new UsageError(`Unknown kind "${unknown.join('", "')}". Choose from: ${knownKinds.join(', ')}.`);
  }
  const report = doctorReport(runChecks(probe), kinds.length > 0 ? kinds : knownKinds);
  output.write(report.text);
  return kinds.length > 0 ? report.exitCode : 0;
}
