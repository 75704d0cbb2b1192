import { describe, expect, it } from 'vitest';
import { formatMs, formatRange, formatRatio, formatRounds, formatTick } from './format.js';

describe('formatMs', () => {
  it.each([
    [0, '0 ms'],
    [0.0000456, '45.6 ns'],
    [0.000123, '123 ns'],
    [0.00234, '2.34 µs'],
    [0.5, '500 µs'],
    [12.345, '12.3 ms'],
    [999.4, '999 ms'],
    [1234, '1.23 s'],
  ])('%s ms reads %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });
});

describe('formatRatio and formatRange', () => {
  it('prints a ratio with a times sign and a range with an en dash', () => {
    expect(formatRatio(0.4567)).toBe('×0.46');
    expect(formatRatio(123.4)).toBe('×123');
    expect(formatRange(0.0012, 0.0015)).toBe('1.20 µs–1.50 µs');
  });
});

describe('formatTick', () => {
  it('drops trailing zeros', () => {
    expect(formatTick(0.05)).toBe('50 µs');
    expect(formatTick(1.5)).toBe('1.5 ms');
    expect(formatTick(0)).toBe('0 ms');
    expect(formatTick(2000)).toBe('2 s');
  });
});

describe('formatRounds', () => {
  it('says round for one and rounds for more', () => {
    expect(formatRounds(1)).toBe('1 round');
    expect(formatRounds(15)).toBe('15 rounds');
  });
});
