/**
 * The order of a run: each round goes through every measurement, and each measurement through its
 * subjects, starting one later every round. So drift on the machine (a neighbour's build, the CPU
 * warming up) lands on every kind alike, and no kind always goes first or last.
 */
import { measurementIds, subjectsOf, type MeasurementId, type Subject } from '../metrics.js';

export interface Step {
  /** From 1. */
  round: number;
  measurement: MeasurementId;
  subject: Subject;
}

export function planRounds(rounds: number): Step[] {
  const steps: Step[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const measurement of measurementIds) {
      const subjects = subjectsOf(measurement);
      const shift = (round - 1) % subjects.length;
      for (const subject of [...subjects.slice(shift), ...subjects.slice(0, shift)]) steps.push({ round, measurement, subject });
    }
  }
  return steps;
}
