import { parseArgs } from 'node:util';
import { machine, wasmRoutes, wasmTarget, type MachineProbe } from '@interop-module/runtime/toolchain';
import { UsageError } from './errors.js';
import type { KindFacts, Toolchain } from './generators.js';
import { packageManagerOption, type PackageManager } from './options.js';

/**
 * What a toolchain is needed for, as each kind's kind.json says (`needs`): `build` — creating the
 * package (install and build) fails without it; `test` — only the generated package's tests do.
 */
export type Stage = keyof KindFacts['needs'];

/** One way to satisfy a check that has several; any one is enough. */
export interface Route {
  name: string;
  ok: boolean;
  found: string;
  fix: string;
}

/** One thing `doctor` looks for: whether it is there, what was found, and the command that fixes it. */
export interface Check {
  name: string;
  ok: boolean;
  found: string;
  /** For a check with routes: any one route's fix. */
  fix: string;
  /** The toolchain it looks for, as kinds name it in kind.json; absent: every kind needs it. */
  toolchain?: Toolchain;
  /** Alternatives: the check is ok when one is; the others are then not needed. */
  routes?: readonly Route[];
}

/** What doctor reads from the machine; tests pass their own. */
export interface Probe extends MachineProbe {
  nodeVersion: string;
  env: NodeJS.ProcessEnv;
}

export const machineProbe: Probe = { ...machine, nodeVersion: process.versions.node, env: process.env };

const rustupInstall = 'curl https://sh.rustup.rs -sSf | sh';

function firstLine(text: string | undefined): string {
  return text?.split('\n')[0] ?? 'not found';
}

/** The command that installs a package manager other than npm (npm ships with Node). */
const packageManagerFix: Record<PackageManager, string> = {
  npm: 'install npm (it ships with Node)',
  pnpm: 'npm install -g pnpm   (or: corepack enable pnpm)',
  yarn: 'npm install -g yarn   (or: corepack enable yarn)',
};

/** A check before it has looked at the machine, so only the checks a caller needs cost probes. */
interface CheckDefinition extends Pick<Check, 'name' | 'toolchain'> {
  inspect(probe: Probe): Omit<Check, 'name' | 'toolchain'>;
}

function toolCheck(name: string, command: string, fix: string): CheckDefinition {
  return {
    name,
    inspect(probe) {
      const output = probe.output(command, ['--version']);
      return { ok: output !== undefined, found: firstLine(output), fix };
    },
  };
}

const wasm32Check: CheckDefinition = {
  name: `${wasmTarget} builds`,
  inspect(probe) {
    const routes: Route[] = wasmRoutes(probe).map(({ title, build, found, fix }) => ({ name: title, ok: build !== undefined, found, fix }));
    const working = routes.find((route) => route.ok);
    return {
      ok: working !== undefined,
      found: working === undefined ? 'no route; set up either one below' : `through ${working.name}`,
      fix: routes.map((route) => route.fix).join('   or: '),
      routes,
    };
  },
};

const chromiumCheck: CheckDefinition = {
  name: 'chromium (browser tests)',
  inspect(probe) {
    const chromium = probe.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
    const ok = probe.exists(chromium);
    return { ok, found: ok ? chromium : `${chromium} not found`, fix: 'apt-get install chromium   (or set CHROMIUM_PATH)' };
  },
};

/** What doctor checks for each toolchain a kind.json can name. */
const toolchainChecks: Record<Toolchain, readonly CheckDefinition[]> = {
  rust: [toolCheck('rustc', 'rustc', rustupInstall), toolCheck('cargo', 'cargo', rustupInstall)],
  cc: [toolCheck('C compiler (cc)', 'cc', 'apt-get install build-essential')],
  wasm32: [wasm32Check],
  browser: [chromiumCheck],
};

function definitions(packageManager: PackageManager): CheckDefinition[] {
  const everyKind: CheckDefinition[] = [
    {
      name: 'node ≥ 20.17',
      inspect(probe) {
        const [major = 0, minor = 0] = probe.nodeVersion.split('.').map(Number);
        return {
          ok: major > 20 || (major === 20 && minor >= 17),
          found: `v${probe.nodeVersion}`,
          fix: 'install Node 20.17 or newer (https://nodejs.org)',
        };
      },
    },
    toolCheck(packageManager, packageManager, packageManagerFix[packageManager]),
  ];
  const byToolchain = Object.entries(toolchainChecks) as [Toolchain, readonly CheckDefinition[]][];
  return [...everyKind, ...byToolchain.flatMap(([toolchain, checks]) => checks.map((check) => ({ ...check, toolchain })))];
}

/** Whether `kind` needs what `check` looks for: at `stage`, or at all. */
function neededBy(check: Pick<Check, 'toolchain'>, kind: KindFacts, stage?: Stage): boolean {
  if (check.toolchain === undefined) return true;
  const needs = stage === undefined ? [...kind.needs.build, ...kind.needs.test] : kind.needs[stage];
  return needs.includes(check.toolchain);
}

export interface CheckSelection {
  /** Only the checks these kinds need. */
  kinds: readonly KindFacts[];
  /** Only the checks they need for this stage (default: both). */
  stage?: Stage;
  /** The package manager to look for (default: npm). */
  packageManager?: PackageManager;
}

/** Looks at the machine for the selected checks. */
export function runChecks(probe: Probe, selection: CheckSelection): Check[] {
  const { kinds, stage, packageManager = 'npm' } = selection;
  return definitions(packageManager)
    .filter((definition) => kinds.some((kind) => neededBy(definition, kind, stage)))
    .map(({ inspect, ...definition }) => ({ ...definition, ...inspect(probe) }));
}

const markWidth = 'not needed'.length;

function line(mark: string, name: string, found: string, indent: string): string {
  return `${indent}${mark.padEnd(markWidth)}  ${name}: ${found}`;
}

/**
 * A check as report lines: its state, then the fix when it is missing. A check with routes lists
 * each route below it; when one works, the others are "not needed" and print no fix.
 */
export function renderCheck(check: Check): string {
  const fixIndent = ' '.repeat(markWidth + 2);
  if (check.routes === undefined) {
    return [line(check.ok ? 'ok' : 'missing', check.name, check.found, ''), ...(check.ok ? [] : [`${fixIndent}fix: ${check.fix}`])].join('\n');
  }
  const routeLines = check.routes.flatMap((route) => {
    const mark = route.ok ? 'ok' : check.ok ? 'not needed' : 'missing';
    const fix = check.ok || route.ok ? [] : [`  ${fixIndent}fix: ${route.fix}`];
    return [line(mark, route.name, route.found, '  '), ...fix];
  });
  return [line(check.ok ? 'ok' : 'missing', check.name, check.found, ''), ...routeLines].join('\n');
}

/** The report and exit code: 1 when a kind asked for (--kind) cannot be built and tested here, else 0. */
export function doctorReport(checks: readonly Check[], kinds: readonly KindFacts[]): { text: string; exitCode: number } {
  const lines = checks.map(renderCheck);
  let exitCode = 0;
  for (const kind of kinds) {
    const blocking = checks.filter((check) => !check.ok && neededBy(check, kind));
    lines.push(
      blocking.length === 0
        ? `kind ${kind.kind}: can build and test here`
        : `kind ${kind.kind}: cannot build and test here (missing: ${blocking.map((check) => check.name).join(', ')})`,
    );
    if (blocking.length > 0) exitCode = 1;
  }
  return { text: `${lines.join('\n')}\n`, exitCode };
}

/** `create-interop-module doctor [--kind <kind>]... [--pm <manager>]`: returns the exit code. */
export function runDoctor(
  argv: readonly string[],
  knownKinds: readonly KindFacts[],
  output: { write(text: string): unknown },
  probe: Probe = machineProbe,
): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { kind: { type: 'string', multiple: true }, pm: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`doctor: ${(error as Error).message}`);
  }
  const kinds = values.kind ?? [];
  const names = knownKinds.map((known) => known.kind);
  const unknown = kinds.filter((kind) => !names.includes(kind));
  if (unknown.length > 0) {
    throw new UsageError(`Unknown kind "${unknown.join('", "')}". Choose from: ${names.join(', ')}.`);
  }
  const reported = kinds.length > 0 ? knownKinds.filter((known) => kinds.includes(known.kind)) : knownKinds;
  const packageManager = packageManagerOption(values.pm);
  const checks = runChecks(probe, { kinds: reported, ...(packageManager !== undefined && { packageManager }) });
  const report = doctorReport(checks, reported);
  output.write(report.text);
  return kinds.length > 0 ? report.exitCode : 0;
}
