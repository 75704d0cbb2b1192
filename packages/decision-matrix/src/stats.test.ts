import { describe, expect, it } from 'vitest';
import { median, quantile, summarize } from './stats.js';

describe('quantile', () => {
  it('interpolates between neighbours', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50], 0.25)).toBe(20);
    expect(quantile([0, 10], 0.75)).toBe(7.5);
  });

  it('returns the ends at 0 and 1', () => {
    expect(quantile([3, 5, 9], 0)).toBe(3);
    expect(quantile([3, 5, 9], 1)).toBe(9);
  });

  it('refuses no samples and a q outside [0, 1]', () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
    expect(() => quantile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts before it picks, and leaves the samples as they were', () => {
    const samples = [9, 1, 5, 3, 7];
    expect(summarize(samples)).toEqual({ median: 5, q1: 3, q3: 7, min: 1, max: 9 });
    expect(samples).toEqual([9, 1, 5, 3, 7]);
  });

  it('summarizes one sample as itself', () => {
    expect(summarize([4.2])).toEqual({ median: 4.2, q1: 4.2, q3: 4.2, min: 4.2, max: 4.2 });
  });

  it('refuses samples that are not finite', () => {
    expect(() => summarize([1, Number.POSITIVE_INFINITY])).toThrow(RangeError);
    expect(() => summarize([Number.NaN])).toThrow(RangeError);
  });
});

describe('median', () => {
  it('of an even count is the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
