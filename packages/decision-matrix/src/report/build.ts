import type { Mode, WorkloadSettings } from '../args.js';
import { baselineKind, heavyConcurrency, heavyIterations, kinds, metrics, subjects, type Kind } from '../metrics.js';
import { summarize } from '../stats.js';
import type { Samples } from '../workload/protocol.js';
import { reportSchema, type Complexity, type Machine, type MetricResult, type Report, type SubjectResult } from './schema.js';

export interface ReportInput {
  mode: Mode;
  settings: WorkloadSettings;
  samples: Samples;
  date: Date;
  commit: Report['commit'];
  machine: Machine;
  loadAverage: Report['loadAverage'];
  durationSeconds: number;
  complexity: Record<Kind, Complexity>;
}

/** Summaries and ratios to pure for every metric; subjects without samples are left out (validateReport says so). */
export function buildReport(input: ReportInput): Report {
  const metricResults = metrics.map((metric): MetricResult => {
    const bySubject = input.samples[metric.id] ?? {};
    const baselineSamples = bySubject[baselineKind];
    const baselineMedian = baselineSamples === undefined ? undefined : summarize(baselineSamples).median;
    const results: MetricResult['results'] = {};
    for (const subject of metric.measured) {
      const samples = bySubject[subject];
      if (samples === undefined || samples.length === 0) continue;
      const summary = summarize(samples);
      const ratioToPure = metric.ratioToPure && baselineMedian !== undefined ? summary.median / baselineMedian : null;
      results[subject] = { samples, ...summary, ratioToPure } satisfies SubjectResult;
    }
    return {
      id: metric.id,
      group: metric.group,
      label: metric.label,
      description: metric.description,
      unit: 'ms',
      results,
      notApplicable: { ...metric.notApplicable },
      scenarios: { ...metric.scenarios },
    };
  });
  return {
    schema: reportSchema,
    mode: input.mode,
    date: input.date.toISOString(),
    commit: input.commit,
    machine: input.machine,
    settings: { ...input.settings, heavyIterations, heavyConcurrency },
    loadAverage: input.loadAverage,
    durationSeconds: input.durationSeconds,
    kinds: [...kinds],
    subjects: [...subjects],
    baseline: baselineKind,
    metrics: metricResults,
    complexity: input.complexity,
  };
}
