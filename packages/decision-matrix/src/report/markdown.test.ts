import { describe, expect, it } from 'vitest';
import { hasProcessOfItsOwn } from '../faults.js';
import { baselineKind, kindFacts, kinds, metrics } from '../metrics.js';
import { sampleReport, sampleScale } from '../test-support/sample-report.js';
import { formatRatio } from './format.js';
import { renderMarkdown } from './markdown.js';

const others = kinds.filter((kind) => kind !== baselineKind);
const withoutHashSync = kindFacts.find((facts) => !facts.hashSync)!.kind;
const inHostProcess = kindFacts.find((facts) => !hasProcessOfItsOwn(facts))!.kind;
const withOwnProcess = kindFacts.find(hasProcessOfItsOwn)!.kind;

const report = sampleReport();
const markdown = renderMarkdown(report, { chartHref: 'bench/matrix/latest.svg', headingLevel: 3 });
const lines = markdown.split('\n');

/** The rows of the table under `heading`, as arrays of cells. */
function tableAfter(heading: string): string[][] {
  const start = lines.findIndex((line) => line.startsWith('### ') && line.includes(heading));
  expect(start, `a heading with "${heading}"`).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(2, -2).split(/ (?<!\\)\| /));
  }
  return rows;
}

describe('renderMarkdown', () => {
  it('names the machine, the commit, the mode and the load, and links the chart', () => {
    expect(lines[0]).toContain('**Example CPU | 3 GHz, 2 cores, 24 GiB**');
    expect(lines[0]).toContain('Node v20.20.2 (libuv pool: 4 threads)');
    expect(lines[0]).toContain('commit `0123456789`');
    expect(lines[0]).toContain('Quick run: 4 rounds');
    expect(lines[0]).toContain('0.10 / 0.20 / 0.30 before, 0.40 / 0.50 / 0.60 after');
    expect(markdown).toContain('](bench/matrix/latest.svg)');
  });

  it('has a median row for every metric and a column for every subject, each cell filled or explained', () => {
    const [header, divider, ...rows] = tableAfter('Medians across 4 rounds');
    expect(header).toEqual(['', ...kinds, 'blocking control']);
    expect(divider).toHaveLength(kinds.length + 2);
    expect(rows.map((row) => row[0])).toEqual(metrics.map((metric) => `${metric.group}: ${metric.label}`));
    for (const [index, metric] of metrics.entries()) {
      const row = rows[index]!;
      expect(row).toHaveLength(kinds.length + 2);
      for (const kind of kinds) {
        const cell = row[1 + kinds.indexOf(kind)]!;
        if (metric.measured.includes(kind)) expect(cell).toMatch(/^\d[\d.]* (ns|µs|ms|s) \(.+–.+\)/);
        else expect(cell).toMatch(/^n\/a<sup>\d+<\/sup>$/);
      }
    }
  });

  it('explains each n/a and scenario once, in a numbered note', () => {
    expect(markdown).toContain(`. ${withoutHashSync}: no hashSync: every call is asynchronous`);
    expect(markdown.match(new RegExp(`\\. ${inHostProcess}: runs inside the Node process`, 'g'))).toHaveLength(1);
    expect(markdown).toMatch(new RegExp(`\\d+\\. ${baselineKind}: no crash mode it survives in-process: a rejected call`));
  });

  it('restates the matrix for every kind from the numbers and its kind.json', () => {
    const [header, , ...rows] = tableAfter('The matrix, restated');
    expect(header).toEqual(['', 'performance (ratio to pure)', 'safety', 'complexity']);
    expect(rows.map((row) => row[0])).toEqual(kinds.map((kind) => `**${kind}**`));
    const rowOf = (kind: string) => rows[kinds.indexOf(kind)]!;
    const second = rowOf(others[0]!);
    expect(second[1]).toMatch(/^call [\d.]+ \S+ \(×0\.40\); 1 MiB/);
    expect(second[2]).toContain(kindFacts[1]!.faultBoundary);
    expect(second[3]).toBe('333 lines (TypeScript 75, Rust 218, build scripts 40) + 500 in runtime/entry-1; needs a Rust toolchain');
    expect(rowOf(withOwnProcess)[2]).toMatch(/process death → next good call: [\d.]+ \S+$/);
    expect(rowOf(inHostProcess)[2]).not.toContain('process death');
    expect(rowOf(baselineKind)[3]).toBe('54 lines (TypeScript 54); Node only');
  });

  it('has ratio rows only for metrics with ratios, pure left out', () => {
    const [header, , ...rows] = tableAfter('Ratio to pure');
    expect(header).toEqual(['', ...others, 'blocking control']);
    expect(rows.map((row) => row[0])).toEqual(metrics.filter((metric) => metric.ratioToPure).map((metric) => metric.label));
    expect(rows.find((row) => row[0] === 'hash, 0 B')).toEqual(['hash, 0 B', ...others.map((kind) => formatRatio(sampleScale(kind))), '']);
  });

  it('prints no missing value', () => {
    expect(markdown).not.toMatch(/undefined|NaN|Infinity|null/);
  });

  it('puts its headings at the level asked for', () => {
    const headings = (text: string) => text.split('\n').filter((line) => line.startsWith('#'));
    expect(headings(markdown).every((line) => line.startsWith('### '))).toBe(true);
    const standalone = renderMarkdown(report, { chartHref: 'latest.svg', headingLevel: 2 });
    expect(headings(standalone).every((line) => line.startsWith('## '))).toBe(true);
    expect(headings(standalone)).toHaveLength(headings(markdown).length);
  });
});
