import { describe, expect, it } from 'vitest';
import { isInteropError } from '@interop-module/runtime';
import { stillRunningAfter } from '@interop-module/runtime/testing';
import { sandboxCards, type PaymentResult } from '../lib/index.js';
import { chargesByKey, journalByKey, openGateway, readJournal, readSandboxLedger, tempFiles } from './support.js';

describe('chaos', () => {
  it('10,000 authorizations from 64 callers, the port SIGKILLed every ~200: after one retry pass, one charge per approved key', async () => {
    const totalCalls = 10_000;
    const callers = 64;
    const killEvery = 200;
    const timeoutMs = 5000;
    const files = tempFiles();
    // No automatic retries: every call a kill cuts off is left for the explicit retry pass. The restart
    // limit is raised so the circuit stays closed: these kills are on purpose.
    const gateway = openGateway(files, {
      crashRetries: 0,
      timeoutMs,
      restart: { initialDelayMs: 1, maxDelayMs: 20, maxRestarts: 10_000, withinMs: 60_000 },
    });
    const pids = new Set<number>();
    gateway.on('spawn', ({ pid }) => pid !== undefined && pids.add(pid));

    // Every 10th card is declined: declines are answers too, and must charge nothing.
    const requests = Array.from({ length: totalCalls }, (_, at) => ({
      amount: 100 + ((at * 7919) % 99_900),
      currency: 'EUR',
      card: at % 10 === 9 ? sandboxCards.declined : sandboxCards.approved,
      idempotencyKey: `chaos-${at}`,
    }));
    const results: Array<PaymentResult | undefined> = new Array(totalCalls);
    const failureCodes = new Map<string, number>();
    let slowestMs = 0;

    /** Sends the requests at `indices` from `callers` concurrent callers; returns the ones that failed. */
    async function pass(indices: number[], afterEach: () => void): Promise<number[]> {
      const failed: number[] = [];
      let next = 0;
      const caller = async () => {
        while (next < indices.length) {
          const index = indices[next++]!;
          const started = performance.now();
          try {
            results[index] = await gateway.authorize(requests[index]!);
          } catch (error) {
            failed.push(index);
            const code = isInteropError(error) ? error.code : `untyped: ${String(error)}`;
            failureCodes.set(code, (failureCodes.get(code) ?? 0) + 1);
          }
          slowestMs = Math.max(slowestMs, performance.now() - started);
          afterEach();
        }
      };
      await Promise.all(Array.from({ length: callers }, caller));
      return failed;
    }

    let settled = 0;
    let kills = 0;
    let killAt = killEvery / 2 + Math.random() * killEvery;
    const killNowAndThen = () => {
      settled++;
      const pid = gateway.pid;
      if (settled < killAt || pid === undefined) return;
      killAt = settled + killEvery / 2 + Math.random() * killEvery;
      try {
        process.kill(pid, 'SIGKILL');
        kills++;
      } catch {
        // It had just died on its own; the next kill comes later.
      }
    };

    const started = performance.now();
    const failedFirst = await pass(requests.map((_, at) => at), killNowAndThen);
    const firstPassMs = performance.now() - started;
    const failedRetry = await pass(failedFirst, () => {});
    const totalMs = performance.now() - started;
    await gateway.close();

    const ledger = readSandboxLedger(files.sandboxLedgerPath);
    const charges = chargesByKey(ledger);
    const journal = journalByKey(readJournal(files.journalPath));
    const approved = results.filter((result) => result?.status === 'approved') as Array<PaymentResult & { transactionId: string }>;
    const approvedTotal = requests.reduce((sum, request, at) => sum + (results[at]?.status === 'approved' ? request.amount : 0), 0);
    const ledgerTotal = ledger.filter((line) => line.kind === 'AUTH').reduce((sum, line) => sum + line.amount, 0);
    const journalTotal = [...journal.values()].reduce(
      (sum, entry) => sum + (entry.outcome?.outcome?.status === 'approved' ? entry.intent.terms!.amount : 0),
      0,
    );
    const replayedOnRetry = failedFirst.filter((at) => results[at]?.replayed).length;
    const orphans = await stillRunningAfter(pids, 2000);

    console.log(
      [
        `chaos: ${totalCalls} authorizations from ${callers} callers, ${kills} SIGKILLs (one per ~${killEvery} calls), ${pids.size} port processes`,
        `  first pass: ${totalCalls - failedFirst.length} answered, ${failedFirst.length} failed (${JSON.stringify(Object.fromEntries(failureCodes))}), ${(firstPassMs / 1000).toFixed(1)} s`,
        `  retry pass: ${failedFirst.length} retried with their keys, ${failedFirst.length - failedRetry.length} answered (${replayedOnRetry} replayed: charged before the kill), ${failedRetry.length} failed`,
        `  charges: ${charges.size} keys charged, ${ledger.length} ledger lines, ${approved.length} approved and ${totalCalls - approved.length} declined answers`,
        `  totals: approved ${approvedTotal} = ledger ${ledgerTotal} = journal ${journalTotal} (minor units)`,
        `  slowest call ${slowestMs.toFixed(0)} ms (timeout ${timeoutMs} ms), orphans ${orphans.length}, ${(totalMs / 1000).toFixed(1)} s in all (${Math.round(totalCalls / (firstPassMs / 1000))} calls/s in the first pass)`,
      ].join('\n'),
    );

    expect(kills).toBeGreaterThanOrEqual((totalCalls / killEvery) * 0.5);
    expect([...failureCodes.keys()]).toEqual(['ERR_PORT_CRASHED']);
    expect(failedRetry).toEqual([]);
    expect(slowestMs).toBeLessThan(timeoutMs);
    expect(orphans).toEqual([]);
    // Every request has its answer: approved for the approving card, declined for the declining one.
    requests.forEach((request, at) => {
      expect(results[at]?.status, request.idempotencyKey).toBe(request.card === sandboxCards.declined ? 'declined' : 'approved');
    });
    // Exactly one charge per approved key, the one the caller was told about; none for any other key.
    expect(ledger.every((line) => line.kind === 'AUTH')).toBe(true);
    expect(charges.size).toBe(approved.length);
    requests.forEach((request, at) => {
      const result = results[at]!;
      const keyCharges = charges.get(request.idempotencyKey) ?? [];
      if (result.status === 'approved') {
        expect(keyCharges.map((line) => [line.id, line.amount]), request.idempotencyKey).toEqual([[result.transactionId, request.amount]]);
      } else {
        expect(keyCharges, request.idempotencyKey).toEqual([]);
      }
      expect(journal.get(request.idempotencyKey)?.outcome?.outcome).toEqual(
        result.status === 'approved' ? { status: 'approved', transactionId: result.transactionId } : { status: 'declined' },
      );
    });
    expect(ledgerTotal).toBe(approvedTotal);
    expect(journalTotal).toBe(approvedTotal);
  });
});
