import { describe, expect, it } from 'vitest';
import { kindFacts, kinds } from '../metrics.js';
import { adaptedKinds, missingAdapterParts } from './contenders.js';

describe('the per-kind adapters of the fault drills', () => {
  it('cover what every kind of templates/ needs, by its kind.json', () => {
    for (const facts of kindFacts) expect(missingAdapterParts(facts), facts.kind).toEqual([]);
  });

  it('are only for kinds there are', () => {
    expect(kinds).toEqual(expect.arrayContaining([...adaptedKinds]));
  });

  it('a new kind with a crash mode to survive, or a process of its own, is named with what it lacks', () => {
    const newKind = { ...kindFacts[0]!, kind: 'zig', baseline: false };
    expect(missingAdapterParts({ ...newKind, crashModes: ['hang'] })).toEqual([]);
    expect(missingAdapterParts({ ...newKind, crashModes: ['panic', 'exit'] })).toEqual([
      "crashBuildHash (its crash mode 'panic' faults the crash-enabled build)",
      'processDeath (it has a process of its own to kill)',
    ]);
  });
});
