/** Numbers as the table and the chart print them: three significant digits, a unit that fits. */

function threeDigits(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** A duration given in milliseconds, in ns, µs, ms or s. */
export function formatMs(ms: number): string {
  if (ms === 0) return '0 ms';
  if (ms < 0.001) return `${threeDigits(ms * 1e6)} ns`;
  if (ms < 1) return `${threeDigits(ms * 1000)} µs`;
  if (ms < 1000) return `${threeDigits(ms)} ms`;
  return `${threeDigits(ms / 1000)} s`;
}

/** An axis tick: the same units, without trailing zeros ("50 µs", not "50.0 µs"). */
export function formatTick(ms: number): string {
  const [digits, unit] = formatMs(ms).split(' ');
  return `${Number(digits)} ${unit}`;
}

export function formatRatio(ratio: number): string {
  return `×${threeDigits(ratio)}`;
}

/** The interquartile range, in the unit of the median it goes with. */
export function formatRange(low: number, high: number): string {
  return `${formatMs(low)}–${formatMs(high)}`;
}

export function formatRounds(count: number): string {
  return `${count} round${count === 1 ? '' : 's'}`;
}
