import { fileURLToPath } from 'node:url';
import { runInChild, type ChildOutcome } from '@interop-module/runtime/testing';
import { describe, expect, it } from 'vitest';
import { supportedCrashModes } from '../lib/testing.js';

const fixture = fileURLToPath(new URL('./fixtures/settle.mjs', import.meta.url));
const runs = 20;

/** What each crash mode a kind can show settles with. 'abort' ends the process, so it has no outcome to check. */
const codeOfMode: Record<string, string> = {
  panic: 'ERR_NATIVE_PANIC',
  'panic-offloaded': 'ERR_NATIVE_PANIC',
  exit: 'ERR_PORT_CRASHED',
  hang: 'ERR_TIMEOUT',
  trap: 'ERR_WASM_TRAP',
  garbage: 'ERR_PROTOCOL',
  oversize: 'ERR_FRAME_TOO_LARGE',
};

/** `runs` fresh processes, four at a time, each making one call; how each call ended. */
async function outcomesOf(exportName: string, args: unknown[] = []): Promise<string[]> {
  const outcomes: ChildOutcome[] = [];
  while (outcomes.length < runs) {
    const batch = Math.min(4, runs - outcomes.length);
    outcomes.push(
      ...(await Promise.all(Array.from({ length: batch }, () => runInChild({ modulePath: fixture, exportName, args, timeoutMs: 30_000 })))),
    );
  }
  return outcomes.map((outcome) => {
    if (outcome.timedOut) return 'hung';
    if (!outcome.settled) return `lost (exit ${outcome.exitCode ?? outcome.signal})`;
    if (outcome.exitCode !== 0) return `settled, then exit ${outcome.exitCode ?? outcome.signal}`;
    return outcome.error === undefined ? 'resolved' : String(outcome.error.code);
  });
}

// A call either settles or the caller hears why: nothing the package holds may let Node exit with a
// call pending, and nothing it holds may keep Node alive once every call has settled.
describe('every call settles, in a process with nothing else pending', () => {
  it.each(supportedCrashModes.filter((mode) => mode !== 'abort'))(`crash('%s') settles with its code, ${runs} runs out of ${runs}`, async (mode) => {
    expect(await outcomesOf('crashOnce', [mode])).toEqual(Array(runs).fill(codeOfMode[mode]));
  });

  it(`offloaded hash and deriveKey resolve and the process ends, ${runs} runs out of ${runs}`, async () => {
    expect(await outcomesOf('offloadOnce')).toEqual(Array(runs).fill('resolved'));
  });
});
