/** Median and spread of a metric's per-round samples. */

export interface Summary {
  median: number;
  /** First and third quartiles: the middle half of the rounds lies between them. */
  q1: number;
  q3: number;
  min: number;
  max: number;
}

/** The q-quantile (0 ≤ q ≤ 1) of ascending `sorted`, interpolating linearly between neighbours. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no samples');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be within [0, 1], got ${q}`);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below]!;
  return low + (sorted[above]! - low) * (position - below);
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.some((sample) => !Number.isFinite(sample))) throw new RangeError(`samples must be finite, got ${samples.join(', ')}`);
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

/** The median of a few numbers, e.g. the repeats of one measurement within a round. */
export function median(samples: readonly number[]): number {
  return summarize(samples).median;
}
