import { randomBytes } from 'node:crypto';

/** How many runs each fast-check property makes; raise it with FC_NUM_RUNS=100000 npm test. */
export const propertyRuns = Number(process.env.FC_NUM_RUNS ?? 10_000);

export function randomData(size: number): Uint8Array {
  return new Uint8Array(randomBytes(size));
}
