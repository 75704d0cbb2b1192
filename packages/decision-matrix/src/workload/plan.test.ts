import { describe, expect, it } from 'vitest';
import { measurementIds, subjectsOf } from '../metrics.js';
import { planRounds } from './plan.js';

describe('planRounds', () => {
  const rounds = 5;
  const steps = planRounds(rounds);

  it('runs every measurement for each of its subjects exactly once a round', () => {
    for (let round = 1; round <= rounds; round++) {
      for (const measurement of measurementIds) {
        const seen = steps.filter((step) => step.round === round && step.measurement === measurement).map((step) => step.subject);
        expect([...seen].sort()).toEqual([...subjectsOf(measurement)].sort());
      }
    }
    expect(steps).toHaveLength(rounds * measurementIds.reduce((sum, measurement) => sum + subjectsOf(measurement).length, 0));
  });

  it('keeps rounds in order and measurements in their order within a round', () => {
    const order = steps.map((step) => step.round * 100 + measurementIds.indexOf(step.measurement));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('starts each measurement with a different subject every round, until each has gone first', () => {
    const firsts = (measurement: (typeof measurementIds)[number]) =>
      Array.from({ length: rounds }, (_, index) => steps.find((step) => step.round === index + 1 && step.measurement === measurement)!.subject);
    for (const measurement of measurementIds) {
      expect(new Set(firsts(measurement)).size, measurement).toBe(Math.min(rounds, subjectsOf(measurement).length));
    }
  });
});
