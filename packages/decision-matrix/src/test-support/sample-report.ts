import type { WorkloadSettings } from '../args.js';
import { blockingControl, kinds, metrics, type Kind, type Subject } from '../metrics.js';
import { buildReport, type ReportInput } from '../report/build.js';
import type { Complexity, Report } from '../report/schema.js';
import type { Samples } from '../workload/protocol.js';

const settings: WorkloadSettings = { rounds: 4, sampleMs: 100, repeats: 2 };

/**
 * Each subject a different size, spread over orders of magnitude as real runs are: the baseline 1, the
 * other kinds 0.4, 2.5, 15.6, …, the blocking control 500.
 */
export function sampleScale(subject: Subject): number {
  const index = kinds.indexOf(subject);
  if (subject === blockingControl) return 500;
  return index === 0 ? 1 : 0.4 * 6.25 ** (index - 1);
}

/** Every metric for every subject it applies to, `rounds` values each, spread a little round to round. */
export function sampleSamples(rounds = settings.rounds): Samples {
  const samples: Samples = {};
  metrics.forEach((metric, metricIndex) => {
    const bySubject: Samples[string] = {};
    for (const subject of metric.measured) {
      bySubject[subject] = Array.from({ length: rounds }, (_, round) => 0.01 * (metricIndex + 1) * sampleScale(subject) * (1 + 0.05 * round));
    }
    samples[metric.id] = bySubject;
  });
  return samples;
}

const complexity = (typescript: number, rust: number, runtimeEntries: string[]): Complexity => ({
  ownLines: { typescript, rust, buildScripts: rust > 0 ? 40 : 0 },
  runtimeEntries,
  runtimeLines: runtimeEntries.length * 500,
  needsRust: rust > 0,
});

export function sampleReportInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    mode: 'quick',
    settings,
    samples: sampleSamples(),
    date: new Date('2026-11-22T12:34:56Z'),
    commit: { sha: '0123456789abcdef0123456789abcdef01234567', dirty: false },
    machine: {
      cpuModel: 'Example CPU | 3 GHz',
      cores: 2,
      memoryGiB: 24,
      os: 'Debian GNU/Linux 12 (Linux 6.1)',
      arch: 'x64',
      node: 'v20.20.2',
      uvThreadpoolSize: 4,
    },
    loadAverage: { before: [0.1, 0.2, 0.3], after: [0.4, 0.5, 0.6] },
    durationSeconds: 12.5,
    // The baseline without Rust or runtime entries; the others with both.
    complexity: Object.fromEntries(
      kinds.map((kind, index): [Kind, Complexity] => [kind, index === 0 ? complexity(54, 0, []) : complexity(75, 218, [`entry-${index}`])]),
    ),
    ...overrides,
  };
}

export function sampleReport(overrides: Partial<ReportInput> = {}): Report {
  return buildReport(sampleReportInput(overrides));
}

