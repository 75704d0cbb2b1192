import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runInChild } from './run-in-child.js';

const modulePath = fileURLToPath(new URL('./fixtures/child-exports.mjs', import.meta.url));

describe('runInChild', () => {
  it('returns what the export returned and a clean exit', async () => {
    const outcome = await runInChild({ modulePath, exportName: 'add', args: [2, 3] });
    expect(outcome).toMatchObject({ result: 5, settled: true, exitCode: 0, signal: null, timedOut: false });
  });

  it('passes arguments and results by structured clone', async () => {
    const outcome = await runInChild({ modulePath, exportName: 'add', args: [1n, 2n] });
    expect(outcome.result).toBe(3n);
  });

  it('keeps nothing alive in the child but the export itself: a promise nothing awaits shows as unsettled', async () => {
    const outcome = await runInChild({ modulePath, exportName: 'dropped', timeoutMs: 10_000 });
    expect(outcome).toMatchObject({ settled: false, exitCode: 0, timedOut: false });
    expect(outcome.result).toBeUndefined();
  });

  it('reports a rejection with its message and code', async () => {
    const outcome = await runInChild({ modulePath, exportName: 'fail' });
    expect(outcome.error).toEqual({ message: 'refused', code: 'ERR_INVALID_ARG' });
    expect(outcome.settled).toBe(true);
  });

  it('survives a child that aborts and reports the signal', async () => {
    const outcome = await runInChild({ modulePath, exportName: 'abort' });
    expect(outcome.signal).toBe('SIGABRT');
    expect(outcome.result).toBeUndefined();
  });

  it('reports the exit code and the tail of stderr', async () => {
    const outcome = await runInChild({ modulePath, exportName: 'exitWith', args: [7] });
    expect(outcome.exitCode).toBe(7);
    expect(outcome.stderr).toContain('about to exit');
  });

  it('kills a child that outlives timeoutMs', async () => {
    const outcome = await runInChild({ modulePath, exportName: 'hang', timeoutMs: 300 });
    expect(outcome).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
  });

  it('passes node flags to the child', async () => {
    expect((await runInChild({ modulePath, exportName: 'hasGc' })).result).toBe(false);
    expect((await runInChild({ modulePath, exportName: 'hasGc', execArgv: ['--expose-gc'] })).result).toBe(true);
  });

  it('reports a missing export as an error', async () => {
    const outcome = await runInChild({ modulePath, exportName: 'nope' });
    expect(outcome.error?.message).toContain('no exported function nope');
  });
});
