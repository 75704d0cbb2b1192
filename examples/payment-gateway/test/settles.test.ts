import { fileURLToPath } from 'node:url';
import { runInChild, type ChildOutcome } from '@interop-module/runtime/testing';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/settle.mjs', import.meta.url));
const runs = 20;

/** `runs` fresh processes, four at a time, each making one payment; how each payment ended. */
async function outcomesOf(cardName: string, options?: { timeoutMs?: number; killPortAfterMs?: number }): Promise<string[]> {
  const outcomes: ChildOutcome[] = [];
  while (outcomes.length < runs) {
    const batch = Math.min(4, runs - outcomes.length);
    outcomes.push(
      ...(await Promise.all(
        Array.from({ length: batch }, () =>
          runInChild({ modulePath: fixture, exportName: 'authorizeOnce', args: [cardName, options], timeoutMs: 30_000 }),
        ),
      )),
    );
  }
  return outcomes.map((outcome) => {
    if (outcome.timedOut) return 'hung';
    if (!outcome.settled) return `lost (exit ${outcome.exitCode ?? outcome.signal})`;
    if (outcome.exitCode !== 0) return `settled, then exit ${outcome.exitCode ?? outcome.signal}`;
    return outcome.error === undefined ? String(outcome.result) : String(outcome.error.code);
  });
}

// Every way the legacy SDK can fail, in a process with nothing else pending: the payment settles with
// its outcome, and the process then ends on its own (an idle gateway keeps nothing alive).
describe('every payment settles, in a process with nothing else pending', () => {
  it.each([
    ['approved', undefined, 'approved'],
    ['declined', undefined, 'declined'],
    ['crashBeforeCharge', undefined, 'ERR_PORT_CRASHED'],
    ['crashAfterCharge', undefined, 'approved'],
    ['garbage', undefined, 'ERR_GATEWAY_MALFORMED'],
    ['hang', { timeoutMs: 100 }, 'ERR_TIMEOUT'],
  ] as const)(`card %s settles, ${runs} runs out of ${runs}`, async (cardName, options, expected) => {
    expect(await outcomesOf(cardName, options)).toEqual(Array(runs).fill(expected));
  });

  it(`a port SIGKILLed mid-payment: retried with the same key, the payment settles, ${runs} runs out of ${runs}`, async () => {
    // The first port dies with the call in flight; the retry reaches a new port, which hangs until the timeout.
    expect(await outcomesOf('hang', { timeoutMs: 500, killPortAfterMs: 50 })).toEqual(Array(runs).fill('ERR_TIMEOUT'));
  });
});
