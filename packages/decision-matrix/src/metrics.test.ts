import { describe, expect, it } from 'vitest';
import { listKinds, type KindFacts } from '../../../generators/kinds.js';
import { hasProcessOfItsOwn } from './faults.js';
import { baselineFirst, baselineKind, kindFacts, kinds, metrics } from './metrics.js';

const metric = (id: string) => metrics.find((candidate) => candidate.id === id)!;
const fixture = (kind: string, baseline: boolean): KindFacts => ({ ...kindFacts[0]!, kind, baseline });

describe('the kinds the matrix measures', () => {
  it('are every kind of templates/, the one whose kind.json says "baseline" first', () => {
    expect([...kinds].sort()).toEqual(listKinds());
    expect(kindFacts[0]!.baseline).toBe(true);
    expect(baselineKind).toBe(kinds[0]);
    expect(kinds.slice(1)).toEqual(listKinds().filter((kind) => kind !== baselineKind));
  });

  it('need exactly one baseline', () => {
    expect(baselineFirst([fixture('a', false), fixture('b', true)]).map((facts) => facts.kind)).toEqual(['b', 'a']);
    expect(() => baselineFirst([fixture('a', false)])).toThrow(expect.objectContaining({ code: 'ERR_KIND_FACTS', message: expect.stringContaining('none does') }));
    expect(() => baselineFirst([fixture('a', true), fixture('b', true)])).toThrow(/a, b do/);
  });
});

describe('which metrics apply to a kind, from its kind.json', () => {
  it('hashSync is measured for the kinds that have it; the others say why not', () => {
    const withHashSync = kindFacts.filter((facts) => facts.hashSync).map((facts) => facts.kind);
    expect(metric('hashSync-0B').measured).toEqual(withHashSync);
    expect(Object.keys(metric('hashSync-0B').notApplicable)).toEqual(kinds.filter((kind) => !withHashSync.includes(kind)));
  });

  it('process death is measured for the kinds whose crash modes include exit; the others say why not', () => {
    const withOwnProcess = kindFacts.filter(hasProcessOfItsOwn).map((facts) => facts.kind);
    expect(withOwnProcess.length).toBeGreaterThan(0);
    expect(metric('fault-process-death').measured).toEqual(withOwnProcess);
    expect(Object.keys(metric('fault-process-death').notApplicable)).toEqual(kinds.filter((kind) => !withOwnProcess.includes(kind)));
  });

  it('every kind has a fault scenario, and every other metric is measured for every kind', () => {
    expect(Object.keys(metric('fault-in-process').scenarios ?? {})).toEqual(kinds);
    for (const id of ['hash-0B', 'hash-256B', 'hash-1MiB', 'deriveKey', 'deriveKey-x8', 'loop-max', 'loop-p99', 'fault-in-process']) {
      expect(metric(id).measured, id).toEqual(expect.arrayContaining([...kinds]));
    }
  });
});
