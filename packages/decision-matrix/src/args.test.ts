import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxRounds, modeSettings, parseMatrixArgs } from './args.js';
import { UsageError } from './errors.js';

const cwd = path.resolve('/somewhere');

describe('parseMatrixArgs', () => {
  it('runs the full matrix by default, writing to the default place', () => {
    expect(parseMatrixArgs([], cwd)).toEqual({ help: false, options: { mode: 'full', settings: modeSettings.full, outDir: undefined } });
  });

  it('takes --quick, --runs and --out (relative to the caller\'s directory)', () => {
    expect(parseMatrixArgs(['--quick', '--runs', '5', '--out', 'reports'], cwd)).toEqual({
      help: false,
      options: { mode: 'quick', settings: { ...modeSettings.quick, rounds: 5 }, outDir: path.join(cwd, 'reports') },
    });
    expect(parseMatrixArgs(['--out=/abs/dir'], cwd)).toMatchObject({ options: { outDir: path.resolve('/abs/dir') } });
  });

  it('leaves the mode defaults as they were', () => {
    parseMatrixArgs(['--runs', '7'], cwd);
    expect(modeSettings.full.rounds).not.toBe(7);
  });

  it('answers --help and -h', () => {
    expect(parseMatrixArgs(['--help'], cwd)).toEqual({ help: true });
    expect(parseMatrixArgs(['-h', '--quick'], cwd)).toEqual({ help: true });
  });

  it.each([
    [['--fast'], /Unknown option '--fast'/],
    [['extra'], /positional/],
    [['--runs'], /argument missing/],
    [['--runs', '0'], /--runs takes a whole number from 1 to 100, got "0"/],
    [['--runs', '2.5'], /got "2.5"/],
    [['--runs', `${maxRounds + 1}`], /got "101"/],
    [['--runs', '1e1'], /got "1e1"/],
    [['--out', ''], /--out takes a directory/],
    [['--quick=yes'], /does not take an argument/],
  ])('refuses %j with a UsageError', (argv, message) => {
    const attempt = () => parseMatrixArgs(argv, cwd);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
  });
});
