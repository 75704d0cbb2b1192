import { describe, expect, it } from 'vitest';
import { hasProcessOfItsOwn } from '../faults.js';
import { baselineKind, kindFacts, metrics, type Subject } from '../metrics.js';
import { sampleReport } from '../test-support/sample-report.js';
import { validateReport, type Report } from './schema.js';

/** The kinds these checks use, found by their facts: another kind than the baseline, one without hashSync, one with a process of its own. */
const other = kindFacts.find((facts) => !facts.baseline)!.kind;
const withoutHashSync = kindFacts.find((facts) => !facts.hashSync)!.kind;
const withOwnProcess = kindFacts.find(hasProcessOfItsOwn)!.kind;

/** A deep copy as JSON carries it, changed by `edit`. */
function edited(edit: (report: Report) => void): unknown {
  const copy = JSON.parse(JSON.stringify(sampleReport())) as Report;
  edit(copy);
  return copy;
}

describe('validateReport', () => {
  it('accepts a complete report, also after a trip through JSON', () => {
    expect(validateReport(sampleReport())).toEqual([]);
    expect(validateReport(edited(() => {}))).toEqual([]);
  });

  it('rejects what is not a report at all', () => {
    expect(validateReport(null)).toEqual(['the report is not an object']);
    expect(validateReport({}).length).toBeGreaterThan(5);
  });

  it('names a missing metric and a missing subject', () => {
    expect(validateReport(edited((report) => report.metrics.splice(0, 1)))).toEqual([`metric ${metrics[0]!.id} is missing`]);
    expect(validateReport(edited((report) => delete report.metrics.find((m) => m.id === 'hash-0B')!.results[other]))).toEqual([
      `hash-0B for ${other} is missing`,
    ]);
  });

  it('wants one sample per round and numbers that JSON kept', () => {
    const short = validateReport(edited((report) => report.metrics[1]!.results[other]!.samples.pop()));
    expect(short).toContain(`hash-0B for ${other} has 3 samples, expected 4`);
    // NaN and Infinity become null in JSON.
    const lost = validateReport(JSON.parse(JSON.stringify(edited((report) => (report.metrics[1]!.results[baselineKind]!.median = Number.NaN)))));
    expect(lost).toContain(`hash-0B for ${baselineKind} has a value that is not finite and > 0`);
  });

  it('allows a lateness of 0 but no duration of 0', () => {
    expect(validateReport(edited((report) => (report.metrics.find((m) => m.id === 'loop-max')!.results[baselineKind]!.min = 0)))).toEqual([]);
    expect(validateReport(edited((report) => (report.metrics[1]!.results[baselineKind]!.min = 0)))).toContain(
      `hash-0B for ${baselineKind} has a value that is not finite and > 0`,
    );
  });

  it('checks the order of the summary and the presence of ratios', () => {
    expect(validateReport(edited((report) => (report.metrics[2]!.results[other]!.q3 = 0.000001)))).toContain(
      `hash-256B for ${other}: min ≤ q1 ≤ median ≤ q3 ≤ max does not hold`,
    );
    expect(validateReport(edited((report) => (report.metrics[2]!.results[other]!.ratioToPure = null)))).toContain(
      `hash-256B for ${other} has ratioToPure null, expected a positive number`,
    );
    expect(validateReport(edited((report) => (report.metrics.find((m) => m.id === 'loop-p99')!.results[other]!.ratioToPure = 2)))).toContain(
      `loop-p99 for ${other} has ratioToPure 2, expected null`,
    );
  });

  it('wants the reason where a kind has no number, and no number there', () => {
    const metric = (report: Report) => report.metrics.find((m) => m.id === 'hashSync-0B')!;
    expect(validateReport(edited((report) => delete metric(report).notApplicable[withoutHashSync]))).toEqual([
      `hashSync-0B does not say why ${withoutHashSync} has no number`,
    ]);
    expect(validateReport(edited((report) => (metric(report).results[withoutHashSync] = metric(report).results[baselineKind])))).toEqual([
      `hashSync-0B has a number for ${withoutHashSync}, which it does not apply to`,
    ]);
  });

  it('checks the machine, the load averages and the complexity counts', () => {
    const problems = validateReport(
      edited((report) => {
        report.machine.cpuModel = ' ';
        report.machine.cores = 0;
        report.loadAverage.after = [1];
        report.complexity[other]!.ownLines.rust = -1;
      }),
    );
    expect(problems).toEqual([
      'machine.cpuModel is missing',
      'machine.cores is not a positive number',
      'loadAverage.after is not three load averages',
      `complexity.${other}.ownLines is not three line counts`,
    ]);
  });
});

describe('buildReport', () => {
  const report = sampleReport();
  const result = (id: string, subject: Subject) => report.metrics.find((m) => m.id === id)!.results[subject]!;

  it('divides each median by the baseline\'s, where a ratio means something', () => {
    expect(result('hash-0B', baselineKind).ratioToPure).toBe(1);
    expect(result('hash-0B', other).ratioToPure).toBeCloseTo(result('hash-0B', other).median / result('hash-0B', baselineKind).median, 12);
    expect(result('deriveKey-x8', 'blocking').ratioToPure).toBeCloseTo(500, 9);
    expect(result('loop-max', other).ratioToPure).toBeNull();
    expect(result('fault-process-death', withOwnProcess).ratioToPure).toBeNull();
  });

  it('keeps the samples in round order and summarizes them', () => {
    const { samples, median, min, max } = result('deriveKey', other);
    expect(samples).toHaveLength(4);
    expect(samples).toEqual([...samples].sort((a, b) => a - b));
    expect([min, max]).toEqual([samples[0], samples[3]]);
    expect(median).toBeCloseTo((samples[1]! + samples[2]!) / 2, 12);
  });
});
