/**
 * The report: latest.json as written, and what latest.md, latest.svg and README's region are drawn
 * from. validateReport is the check the command runs before writing anything, and the tests reuse.
 */
import type { Mode, WorkloadSettings } from '../args.js';
import { baselineKind, kinds, metrics, subjects, type Kind, type MetricGroup, type Subject } from '../metrics.js';
import type { Summary } from '../stats.js';

export const reportSchema = 'create-interop-module/decision-matrix@1';

export interface SubjectResult extends Summary {
  /** One value per round, in milliseconds, in round order. */
  samples: number[];
  /** This median ÷ pure's median, for metrics where that means something; else null. */
  ratioToPure: number | null;
}

export interface MetricResult {
  id: string;
  group: MetricGroup;
  label: string;
  description: string;
  unit: 'ms';
  results: Partial<Record<Subject, SubjectResult>>;
  notApplicable: Partial<Record<Subject, string>>;
  scenarios: Partial<Record<Subject, string>>;
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  arch: string;
  node: string;
  /** Threads of libuv's pool, which napi and pure offload to. */
  uvThreadpoolSize: number;
}

export interface Complexity {
  /** Non-blank lines of the package's own code, tests and the crash-test entry left out. */
  ownLines: { typescript: number; rust: number; buildScripts: number };
  /** @interop-module/runtime entries beyond the main one that its code and build scripts rely on, and their lines. */
  runtimeEntries: string[];
  runtimeLines: number;
  needsRust: boolean;
}

export interface Report {
  schema: typeof reportSchema;
  mode: Mode;
  /** ISO 8601, when the measurement ended. */
  date: string;
  commit: { sha: string; dirty: boolean } | null;
  machine: Machine;
  settings: WorkloadSettings & { heavyIterations: number; heavyConcurrency: number };
  /** os.loadavg() just before and just after measuring: how busy the machine was otherwise. */
  loadAverage: { before: number[]; after: number[] };
  durationSeconds: number;
  kinds: Kind[];
  subjects: Subject[];
  baseline: Kind;
  metrics: MetricResult[];
  complexity: Record<Kind, Complexity>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** Everything wrong with `value` as a report of `kinds` × `metrics`; empty when it is complete and well-formed. */
export function validateReport(value: unknown): string[] {
  const problems: string[] = [];
  const problem = (text: string) => problems.push(text);
  if (!isRecord(value)) return ['the report is not an object'];
  if (value.schema !== reportSchema) problem(`schema is ${String(value.schema)}, expected ${reportSchema}`);
  if (value.mode !== 'quick' && value.mode !== 'full') problem(`mode is ${String(value.mode)}`);
  if (!isText(value.date) || Number.isNaN(Date.parse(value.date))) problem('date is not a date');
  if (value.commit !== null && !(isRecord(value.commit) && isText(value.commit.sha) && typeof value.commit.dirty === 'boolean')) {
    problem('commit is neither null nor { sha, dirty }');
  }
  const machine = isRecord(value.machine) ? value.machine : {};
  for (const field of ['cpuModel', 'os', 'arch', 'node']) if (!isText(machine[field])) problem(`machine.${field} is missing`);
  for (const field of ['cores', 'memoryGiB', 'uvThreadpoolSize']) {
    if (!isFiniteNumber(machine[field]) || machine[field] <= 0) problem(`machine.${field} is not a positive number`);
  }
  const settings = isRecord(value.settings) ? value.settings : {};
  const rounds = settings.rounds;
  if (!Number.isInteger(rounds) || (rounds as number) < 1) problem('settings.rounds is not a positive integer');
  const load = isRecord(value.loadAverage) ? value.loadAverage : {};
  for (const when of ['before', 'after']) {
    const averages = load[when];
    if (!Array.isArray(averages) || averages.length !== 3 || !averages.every((average) => isFiniteNumber(average) && average >= 0)) {
      problem(`loadAverage.${when} is not three load averages`);
    }
  }
  if (!isFiniteNumber(value.durationSeconds) || value.durationSeconds <= 0) problem('durationSeconds is not positive');
  if (JSON.stringify(value.kinds) !== JSON.stringify(kinds)) problem(`kinds are ${JSON.stringify(value.kinds)}`);
  if (JSON.stringify(value.subjects) !== JSON.stringify(subjects)) problem(`subjects are ${JSON.stringify(value.subjects)}`);
  if (value.baseline !== baselineKind) problem(`baseline is ${String(value.baseline)}`);

  const reported = Array.isArray(value.metrics) ? value.metrics.filter(isRecord) : [];
  for (const metric of metrics) {
    const found = reported.find((candidate) => candidate.id === metric.id);
    if (found === undefined) {
      problem(`metric ${metric.id} is missing`);
      continue;
    }
    for (const field of ['label', 'description', 'group']) if (!isText(found[field])) problem(`${metric.id}.${field} is missing`);
    const results = isRecord(found.results) ? found.results : {};
    const notApplicable = isRecord(found.notApplicable) ? found.notApplicable : {};
    for (const subject of metric.measured) {
      const result = results[subject];
      const where = `${metric.id} for ${subject}`;
      if (!isRecord(result)) {
        problem(`${where} is missing`);
        continue;
      }
      const samples = result.samples;
      if (!Array.isArray(samples) || samples.length !== rounds) problem(`${where} has ${Array.isArray(samples) ? samples.length : 'no'} samples, expected ${String(rounds)}`);
      const numbers = [...(Array.isArray(samples) ? samples : []), result.median, result.q1, result.q3, result.min, result.max];
      const inRange = (number: unknown) => isFiniteNumber(number) && (metric.allowsZero ? number >= 0 : number > 0);
      if (!numbers.every(inRange)) problem(`${where} has a value that is not finite and ${metric.allowsZero ? '≥ 0' : '> 0'}`);
      const { min, q1, median, q3, max } = result as unknown as Summary;
      if (!(min <= q1 && q1 <= median && median <= q3 && q3 <= max)) problem(`${where}: min ≤ q1 ≤ median ≤ q3 ≤ max does not hold`);
      const ratio = result.ratioToPure;
      if (metric.ratioToPure ? !(isFiniteNumber(ratio) && ratio > 0) : ratio !== null) {
        problem(`${where} has ratioToPure ${String(ratio)}, expected ${metric.ratioToPure ? 'a positive number' : 'null'}`);
      }
    }
    for (const [subject, reason] of Object.entries(metric.notApplicable)) {
      if (notApplicable[subject] !== reason) problem(`${metric.id} does not say why ${subject} has no number`);
      if (results[subject] !== undefined) problem(`${metric.id} has a number for ${subject}, which it does not apply to`);
    }
  }
  const complexity = isRecord(value.complexity) ? value.complexity : {};
  for (const kind of kinds) {
    const entry = complexity[kind];
    const lines = isRecord(entry) && isRecord(entry.ownLines) ? Object.values(entry.ownLines) : [];
    if (lines.length !== 3 || !lines.every((count) => Number.isInteger(count) && (count as number) >= 0)) {
      problem(`complexity.${kind}.ownLines is not three line counts`);
    }
  }
  return problems;
}
