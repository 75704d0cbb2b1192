import { fileURLToPath } from 'node:url';
import { runInChild } from '@interop-module/runtime/testing';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/worker-rounds.mjs', import.meta.url));
const rounds = 20;

// Native addons are known to crash when loaded in several worker threads, or when a worker is
// terminated in the middle of a call (napi-rs#3443). The rounds run in a child process, so a crash
// shows as its exit signal here instead of taking the test runner down.
describe('worker threads', () => {
  it(`loaded in workers that are terminated mid-call, ${rounds} rounds: the process lives, nothing they started outlives them, and the main thread's package answers correctly`, async () => {
    const outcome = await runInChild({ modulePath: fixture, exportName: 'terminateMidCall', args: [rounds], timeoutMs: 110_000 });
    expect({ exitCode: outcome.exitCode, signal: outcome.signal, error: outcome.error, stderr: outcome.signal ? outcome.stderr : '' }).toEqual({
      exitCode: 0,
      signal: null,
      error: undefined,
      stderr: '',
    });
    expect(outcome.result).toEqual({ failures: [], leftoverProcesses: [], hashMatches: true, keyMatches: true });
  });
});
