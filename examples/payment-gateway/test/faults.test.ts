import type { PortExit } from '@interop-module/runtime/port';
import { stillRunningAfter } from '@interop-module/runtime/testing';
import { describe, expect, it } from 'vitest';
import { sandboxCards, type Gateway, type PaymentResult, type RetryEvent } from '../lib/index.js';
import { chargesByKey, expectCode, journalByKey, nextExit, openGateway, readJournal, readSandboxLedger, settle, tempFiles, uniqueKey } from './support.js';

const card = sandboxCards.approved;

/** Everything a gateway reports about its port: processes started, exits, retries. */
function watch(gateway: Gateway) {
  const seen = { pids: [] as number[], exits: [] as PortExit[], retries: [] as RetryEvent[] };
  gateway.on('spawn', ({ pid }) => pid !== undefined && seen.pids.push(pid));
  gateway.on('exit', (exit) => seen.exits.push(exit));
  gateway.on('retry', (retry) => seen.retries.push(retry));
  return seen;
}

describe('a segfault in the C library', () => {
  it('costs a process, not the caller: ERR_PORT_CRASHED after the retries, nothing charged, the next payment works', async () => {
    const files = tempFiles();
    const gateway = openGateway(files, { crashRetries: 2 });
    const seen = watch(gateway);
    const idempotencyKey = uniqueKey('segfault');
    const outcome = await settle(gateway.authorize({ amount: 500, currency: 'EUR', card: sandboxCards.crashBeforeCharge, idempotencyKey }));

    expect(outcome).toMatchObject({ error: { code: 'ERR_PORT_CRASHED', message: expect.stringContaining('SIGSEGV') } });
    expect(seen.retries.map((retry) => [retry.attempt, retry.idempotencyKey])).toEqual([
      [1, idempotencyKey],
      [2, idempotencyKey],
    ]);
    expect(seen.exits.map((exit) => exit.signal)).toEqual(['SIGSEGV', 'SIGSEGV', 'SIGSEGV']);
    expect(chargesByKey(readSandboxLedger(files.sandboxLedgerPath)).has(idempotencyKey)).toBe(false);

    const next = await gateway.authorize({ amount: 500, currency: 'EUR', card, idempotencyKey: uniqueKey() });
    expect(next).toMatchObject({ status: 'approved', replayed: false });
    expect(new Set(seen.pids).size).toBe(4);
    expect(await stillRunningAfter(seen.pids.slice(0, 3), 1000)).toEqual([]);
  });

  it('after the charge: the retry finds the charge at the processor and answers with it, never charging twice', async () => {
    const files = tempFiles();
    const gateway = openGateway(files, { crashRetries: 2 });
    const seen = watch(gateway);
    const idempotencyKey = uniqueKey('charged-then-crashed');
    const result = await gateway.authorize({ amount: 4200, currency: 'EUR', card: sandboxCards.crashAfterCharge, idempotencyKey });

    expect(seen.retries).toHaveLength(1);
    expect(seen.exits.map((exit) => exit.signal)).toEqual(['SIGSEGV']);
    const charges = chargesByKey(readSandboxLedger(files.sandboxLedgerPath)).get(idempotencyKey);
    expect(charges).toHaveLength(1);
    expect(result).toEqual({ status: 'approved', transactionId: charges![0]!.id, replayed: true });
    const entry = journalByKey(readJournal(files.journalPath)).get(idempotencyKey);
    expect(entry?.outcome?.outcome).toEqual({ status: 'approved', transactionId: charges![0]!.id });
  });
});

describe('a hang in the C library', () => {
  it('times out with ERR_TIMEOUT, the stuck process is recycled, and other calls keep flowing', async () => {
    const files = tempFiles();
    const gateway = openGateway(files);
    const seen = watch(gateway);
    await gateway.authorize({ amount: 1, currency: 'EUR', card, idempotencyKey: uniqueKey() });
    const stuckPid = gateway.pid!;
    const timeoutMs = 300;
    const started = performance.now();
    const hung = settle(gateway.authorize({ amount: 1, currency: 'EUR', card: sandboxCards.hang, idempotencyKey: uniqueKey('hang') }, { timeoutMs }));
    // Sent while the SDK is stuck: they wait behind it, are cut off when it is recycled, and are retried.
    const others = Array.from({ length: 20 }, (_, at) =>
      gateway.authorize({ amount: 10 + at, currency: 'EUR', card, idempotencyKey: uniqueKey('beside-hang') }),
    );

    const hangOutcome = await hung;
    const hungForMs = performance.now() - started;
    expectCode(hangOutcome, 'ERR_TIMEOUT');
    expect(hungForMs).toBeLessThan(timeoutMs + 1000);
    const results: PaymentResult[] = await Promise.all(others);
    expect(results.every((result) => result.status === 'approved')).toBe(true);

    expect(seen.exits[0]).toMatchObject({ pid: stuckPid, signal: 'SIGKILL' });
    expect(gateway.pid).not.toBe(stuckPid);
    expect(await stillRunningAfter([stuckPid], 1000)).toEqual([]);
    const charges = chargesByKey(readSandboxLedger(files.sandboxLedgerPath));
    expect([...charges.keys()].filter((key) => key.startsWith('hang'))).toEqual([]);
    expect([...charges.values()].every((lines) => lines.length === 1)).toBe(true);
    expect(charges.size).toBe(21);
  });

  it('an AbortSignal ends the wait the same way: ERR_ABORTED, and the stuck process is recycled', async () => {
    const gateway = openGateway();
    const seen = watch(gateway);
    const controller = new AbortController();
    const hung = settle(gateway.authorize({ amount: 1, currency: 'EUR', card: sandboxCards.hang, idempotencyKey: uniqueKey('hang') }, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    expectCode(await hung, 'ERR_ABORTED');
    const recycled = await nextExit(gateway, 2000);
    expect(recycled).toMatchObject({ signal: 'SIGKILL' });
    expect(await gateway.authorize({ amount: 1, currency: 'EUR', card, idempotencyKey: uniqueKey() })).toMatchObject({ status: 'approved' });
    expect(seen.pids).toHaveLength(2);
  });
});

describe('garbage from the C library', () => {
  it('is ERR_GATEWAY_MALFORMED, never an approval, also on retry; the process lives on', async () => {
    const files = tempFiles();
    const gateway = openGateway(files);
    const seen = watch(gateway);
    const request = { amount: 900, currency: 'EUR', card: sandboxCards.garbage, idempotencyKey: uniqueKey('garbage') };
    for (let attempt = 0; attempt < 3; attempt++) {
      const outcome = await settle(gateway.authorize(request));
      expect(outcome).toMatchObject({ error: { code: 'ERR_GATEWAY_MALFORMED', message: expect.stringContaining('not taken as approved') } });
    }
    expect(seen.exits).toEqual([]);
    expect(seen.pids).toHaveLength(1);
    // The answer was unusable, so the key stays open (intent, no outcome), and nothing was charged.
    const entry = journalByKey(readJournal(files.journalPath)).get(request.idempotencyKey);
    expect(entry).toMatchObject({ intent: { type: 'intent' } });
    expect(entry?.outcome).toBeUndefined();
    expect(readSandboxLedger(files.sandboxLedgerPath)).toEqual([]);
  });
});

describe('card numbers', () => {
  it('appear in no message, event, stderr tail or file: only their last 4 digits', async () => {
    const files = tempFiles();
    const gateway = openGateway(files, { crashRetries: 1, restart: { maxRestarts: 20 } });
    const seen = watch(gateway);
    const texts: string[] = [];
    for (const number of Object.values(sandboxCards)) {
      const outcome = await settle(gateway.authorize({ amount: 300, currency: 'EUR', card: number, idempotencyKey: uniqueKey() }, { timeoutMs: 300 }));
      if ('error' in outcome) texts.push(String(outcome.error), JSON.stringify(outcome.error), String((outcome.error as Error).cause));
    }
    const mistyped = await settle(gateway.authorize({ amount: 1, currency: 'EUR', card: '4111111111111112', idempotencyKey: 'x' }));
    texts.push(String('error' in mistyped ? mistyped.error : mistyped.value));
    await gateway.close();
    texts.push(...seen.exits.map((exit) => exit.stderrTail), ...seen.retries.map((retry) => retry.error.message));
    texts.push(readJournal(files.journalPath).records.map((record) => JSON.stringify(record)).join('\n'));
    texts.push(readSandboxLedger(files.sandboxLedgerPath).map((line) => Object.values(line).join(' ')).join('\n'));

    expect(texts.length).toBeGreaterThan(10);
    for (const number of [...Object.values(sandboxCards), '4111111111111112']) {
      for (const text of texts) expect(text).not.toContain(number);
      // The distinctive middle of the number either: no partial masking that leaves most of it.
      for (const text of texts) expect(text).not.toContain(number.slice(0, 12));
    }
  });
});
