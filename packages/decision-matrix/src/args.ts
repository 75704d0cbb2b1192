import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export type Mode = 'quick' | 'full';

/** How long a run measures. Rounds take turns over every kind; spread is across rounds. */
export interface WorkloadSettings {
  rounds: number;
  /** How long each call-time sample keeps calling. */
  sampleMs: number;
  /** deriveKey and fault drills per kind per round; the round keeps their median. */
  repeats: number;
}

export const modeSettings: Readonly<Record<Mode, WorkloadSettings>> = {
  // A CI smoke run: every number present, none to be trusted closely.
  quick: { rounds: 3, sampleMs: 100, repeats: 2 },
  // About five minutes on 2 cores with the packages already built.
  full: { rounds: 15, sampleMs: 1000, repeats: 3 },
};

export const maxRounds = 100;

export interface MatrixOptions {
  mode: Mode;
  settings: WorkloadSettings;
  /** Absolute; undefined means the mode's default place. */
  outDir: string | undefined;
}

export type ParsedCommand = { help: true } | { help: false; options: MatrixOptions };

export const usage = `Usage: npm run bench [-- options]      (from the repository root)
       node packages/decision-matrix/dist/cli.js [options]

Generates (or reuses) one package of each kind from the templates, runs the same workload against all
of them through the shared contract, interleaved, and writes latest.md, latest.json and latest.svg.

Options:
  --quick        a short run (${modeSettings.quick.rounds} rounds) for CI; written to the package cache unless --out is given
  --runs <n>     rounds to run, 1 to ${maxRounds} (default: ${modeSettings.full.rounds}, or ${modeSettings.quick.rounds} with --quick)
  --out <dir>    where to write the three files (default: bench/matrix/, which also updates README.md)
  -h, --help     show this help

Exit codes: 0 done, 1 the run failed, 2 a usage mistake.`;

/** Reads the command line; `cwd` resolves a relative --out. Throws UsageError for anything it does not accept. */
export function parseMatrixArgs(argv: readonly string[], cwd: string): ParsedCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean' },
        runs: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return { help: true };

  const mode: Mode = values.quick === true ? 'quick' : 'full';
  const settings = { ...modeSettings[mode] };
  if (values.runs !== undefined) {
    const runs = Number(values.runs);
    if (!/^\d+$/.test(values.runs) || runs < 1 || runs > maxRounds) {
      throw new UsageError(`--runs takes a whole number from 1 to ${maxRounds}, got "${values.runs}"`);
    }
    settings.rounds = runs;
  }
  if (values.out === '') throw new UsageError('--out takes a directory');
  const outDir = values.out === undefined ? undefined : path.resolve(cwd, values.out);
  return { help: false, options: { mode, settings, outDir } };
}
