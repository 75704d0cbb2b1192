/**
 * latest.md, which README.md's matrix region also shows: where and how it was measured, the chart,
 * medians with their spread, ratios to pure, and the seeds' decision matrix restated from the numbers.
 */
import { baselineKind, blockingControl, factsOf, type Kind, type Subject } from '../metrics.js';
import { formatMs, formatRange, formatRatio, formatRounds } from './format.js';
import type { MetricResult, Report, SubjectResult } from './schema.js';

export interface MarkdownOptions {
  /** The chart's path as seen from where this Markdown is shown. */
  chartHref: string;
  /** Heading level of the sections (README nests them deeper than latest.md). */
  headingLevel: number;
}

const subjectTitle = (subject: Subject) => (subject === blockingControl ? 'blocking control' : subject);

function metric(report: Report, id: string): MetricResult {
  const found = report.metrics.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`the report has no metric ${id}`);
  return found;
}

function result(report: Report, id: string, subject: Subject): SubjectResult | undefined {
  return metric(report, id).results[subject];
}

/** "1.23 ms" for pure, "1.23 ms (×0.50)" for the others; "n/a" where the kind has no number. */
function valueWithRatio(report: Report, id: string, kind: Kind): string {
  const found = result(report, id, kind);
  if (found === undefined) return 'n/a';
  const ratio = kind === baselineKind || found.ratioToPure === null ? '' : ` (${formatRatio(found.ratioToPure)})`;
  return `${formatMs(found.median)}${ratio}`;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function machineLine(report: Report): string {
  const { machine, commit, settings, loadAverage } = report;
  const when = `${report.date.slice(0, 16).replace('T', ' ')} UTC`;
  const revision = commit === null ? 'outside a git checkout' : `commit \`${commit.sha.slice(0, 10)}\`${commit.dirty ? ' with local changes' : ''}`;
  const load = (averages: number[]) => averages.map((average) => average.toFixed(2)).join(' / ');
  return (
    `Measured ${when} on **${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB**, ${machine.os}, ` +
    `Node ${machine.node} (libuv pool: ${machine.uvThreadpoolSize} threads), ${revision}. ` +
    `${report.mode === 'quick' ? 'Quick run' : 'Full run'}: ${formatRounds(settings.rounds)} of every measurement, kinds taking turns, ` +
    `${Math.round(report.durationSeconds)} s of measuring; load average (1 / 5 / 15 min) ${load(loadAverage.before)} before, ${load(loadAverage.after)} after.`
  );
}

function footnotes(report: Report): { marks: Map<string, number>; lines: string[] } {
  const marks = new Map<string, number>();
  const lines: string[] = [];
  const note = (text: string) => {
    if (!marks.has(text)) {
      marks.set(text, marks.size + 1);
      lines.push(`${marks.size}. ${text}`);
    }
    return marks.get(text)!;
  };
  for (const entry of report.metrics) {
    for (const [subject, reason] of Object.entries(entry.notApplicable)) note(`${subjectTitle(subject as Subject)}: ${reason}`);
    for (const [subject, scenario] of Object.entries(entry.scenarios)) note(`${subjectTitle(subject as Subject)}: ${scenario}`);
  }
  return { marks, lines };
}

function medianTable(report: Report, marks: Map<string, number>): string {
  const cell = (entry: MetricResult, subject: Subject) => {
    const found = entry.results[subject];
    const reason = entry.notApplicable[subject];
    const scenario = entry.scenarios[subject];
    const mark = (text: string) => `<sup>${marks.get(`${subjectTitle(subject)}: ${text}`)}</sup>`;
    if (found !== undefined) return `${formatMs(found.median)} (${formatRange(found.q1, found.q3)})${scenario === undefined ? '' : mark(scenario)}`;
    return reason === undefined ? '' : `n/a${mark(reason)}`;
  };
  return table(
    ['', ...report.subjects.map(subjectTitle)],
    report.metrics.map((entry) => [`${entry.group}: ${entry.label}`, ...report.subjects.map((subject) => cell(entry, subject))]),
  );
}

function ratioTable(report: Report): string {
  const others = report.subjects.filter((subject) => subject !== baselineKind);
  const rows = report.metrics
    .filter((entry) => Object.values(entry.results).some((found) => found !== undefined && found.ratioToPure !== null))
    .map((entry) => [
      entry.label,
      ...others.map((subject) => {
        const ratio = entry.results[subject]?.ratioToPure;
        return ratio === undefined || ratio === null ? '' : formatRatio(ratio);
      }),
    ]);
  return table(['', ...others.map(subjectTitle)], rows);
}

function matrixTable(report: Report): string {
  const rows = report.kinds.map((kind) => {
    const performance = [
      `call ${valueWithRatio(report, 'hash-0B', kind)}`,
      `1 MiB ${valueWithRatio(report, 'hash-1MiB', kind)}`,
      `64 MiB stream ${valueWithRatio(report, 'hashStream-64MiB', kind)}`,
      `8 × deriveKey ${valueWithRatio(report, 'deriveKey-x8', kind)}`,
      `event loop p99 ${valueWithRatio(report, 'loop-p99', kind)}, max ${valueWithRatio(report, 'loop-max', kind)}`,
    ].join('; ');
    const death = result(report, 'fault-process-death', kind);
    // Where a fault stops is a fact of the kind's design (its kind.json), not a measurement; the
    // measured recovery times go next to it.
    const safety = [
      `${factsOf(kind).faultBoundary}.`,
      `Fault → next good call: ${valueWithRatio(report, 'fault-in-process', kind)}`,
      ...(death === undefined ? [] : [`process death → next good call: ${formatMs(death.median)}`]),
    ].join(' ');
    const complexityOfKind = report.complexity[kind];
    if (complexityOfKind === undefined) throw new Error(`the report has no complexity for ${kind}`);
    const { ownLines, runtimeEntries, runtimeLines, needsRust } = complexityOfKind;
    const own = ownLines.typescript + ownLines.rust + ownLines.buildScripts;
    const parts = [`TypeScript ${ownLines.typescript}`, ...(ownLines.rust > 0 ? [`Rust ${ownLines.rust}`] : []), ...(ownLines.buildScripts > 0 ? [`build scripts ${ownLines.buildScripts}`] : [])];
    const runtime = runtimeEntries.length === 0 ? '' : ` + ${runtimeLines} in runtime/${runtimeEntries.join(', runtime/')}`;
    const complexity = `${own} lines (${parts.join(', ')})${runtime}; ${needsRust ? 'needs a Rust toolchain' : 'Node only'}`;
    return [`**${kind}**`, performance, safety, complexity];
  });
  return table(['', 'performance (ratio to pure)', 'safety', 'complexity'], rows);
}

export function renderMarkdown(report: Report, options: MarkdownOptions): string {
  const heading = (text: string) => `${'#'.repeat(options.headingLevel)} ${text}`;
  const { marks, lines } = footnotes(report);
  return [
    machineLine(report),
    `![Bar charts, one per metric, of each kind's median with its interquartile range](${options.chartHref})`,
    heading('The matrix, restated from these numbers'),
    matrixTable(report),
    'Performance: medians, with the ratio to pure in brackets (below 1 is faster). Safety: where a fault stops, and what it cost to get the next good answer. Complexity: non-blank lines of the generated package\'s own code (tests and crash triggers left out), plus the runtime modules it relies on beyond the one every kind shares.',
    heading(`Medians across ${formatRounds(report.settings.rounds)} (interquartile range)`),
    medianTable(report, marks),
    lines.join('\n'),
    heading('Ratio to pure (median ÷ pure\'s median; below 1 is faster)'),
    ratioTable(report),
    heading('What each number is'),
    report.metrics.map((entry) => `- **${entry.label}** (${entry.group}): ${entry.description}`).join('\n'),
  ].join('\n\n') + '\n';
}
