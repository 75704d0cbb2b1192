import { appendFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sandboxCards } from '../lib/index.js';
import { chargesByKey, journalByKey, nextExit, openGateway, readJournal, readSandboxLedger, settle, tempFiles, uniqueKey, type Files } from './support.js';

const card = sandboxCards.approved;

/** Authorizes one request per key on a fresh gateway over `files`, then closes it. */
async function authorizeAll(files: Files, keys: string[]) {
  const gateway = openGateway(files);
  const results = [];
  for (const idempotencyKey of keys) results.push(await gateway.authorize({ amount: 1234, currency: 'EUR', card, idempotencyKey }));
  await gateway.close();
  return results;
}

/** Closes the gateway and returns what its port wrote to stderr. */
async function stderrOnClose(gateway: ReturnType<typeof openGateway>): Promise<string> {
  const exit = nextExit(gateway, 5000);
  await gateway.close();
  return (await exit).stderrTail;
}

describe('journal', () => {
  it('a torn last record (power cut mid-write) is cut off; the answer it held is found again at the processor', async () => {
    const files = tempFiles();
    const keys = [uniqueKey(), uniqueKey()];
    const [, second] = await authorizeAll(files, keys);
    // The last record is the second key's outcome: cut it in half, as a power cut during its write would.
    const last = readJournal(files.journalPath).records.at(-1)!;
    expect(last).toMatchObject({ type: 'outcome', key: keys[1] });
    truncateSync(files.journalPath, last.offset + Math.floor(last.length / 2));
    expect(readJournal(files.journalPath).trailingBytes).toBeGreaterThan(0);

    const gateway = openGateway(files);
    expect(await gateway.authorize({ amount: 1234, currency: 'EUR', card, idempotencyKey: keys[0]! })).toMatchObject({ replayed: true });
    // Intent without outcome: the port asks the processor, which has the charge.
    expect(await gateway.authorize({ amount: 1234, currency: 'EUR', card, idempotencyKey: keys[1]! })).toEqual({ ...second, replayed: true });
    expect(await stderrOnClose(gateway)).toContain('cut off an incomplete last record');

    expect([...chargesByKey(readSandboxLedger(files.sandboxLedgerPath)).values()].map((lines) => lines.length)).toEqual([1, 1]);
    const journal = readJournal(files.journalPath);
    expect(journal.trailingBytes).toBe(0);
    expect(journalByKey(journal).get(keys[1]!)?.outcome?.outcome).toEqual({ status: 'approved', transactionId: (second as { transactionId: string }).transactionId });
  });

  it('a power cut during the processor\'s own write: its torn line is dropped, and the retry charges exactly once', async () => {
    const files = tempFiles();
    const keys = [uniqueKey(), uniqueKey()];
    await authorizeAll(files, keys);
    // As if the power went while the SDK wrote the second charge: its line is torn, the journal has only its intent.
    const journal = readJournal(files.journalPath);
    truncateSync(files.journalPath, journal.records.at(-1)!.offset);
    const ledger = readFileSync(files.sandboxLedgerPath, 'latin1');
    truncateSync(files.sandboxLedgerPath, ledger.lastIndexOf('\n', ledger.length - 2) + 10);

    const gateway = openGateway(files);
    const retried = await gateway.authorize({ amount: 1234, currency: 'EUR', card, idempotencyKey: keys[1]! });
    expect(retried).toEqual({ status: 'approved', transactionId: 'TX0000000002', replayed: false });
    await gateway.close();
    const lines = readSandboxLedger(files.sandboxLedgerPath);
    expect(lines.map((line) => line.reference)).toEqual(keys);
    expect(readFileSync(files.sandboxLedgerPath, 'latin1').endsWith('\n')).toBe(true);
  });

  it('zeros after the last record (a file extended before its data landed) are cut off too', async () => {
    const files = tempFiles();
    const keys = [uniqueKey()];
    await authorizeAll(files, keys);
    const complete = readFileSync(files.journalPath).length;
    appendFileSync(files.journalPath, Buffer.alloc(4096));

    const gateway = openGateway(files);
    expect(await gateway.authorize({ amount: 1234, currency: 'EUR', card, idempotencyKey: keys[0]! })).toMatchObject({ replayed: true });
    await gateway.close();
    expect(readFileSync(files.journalPath).length).toBe(complete);
  });

  it('damage before the last record is not guessed at: the port refuses to start and leaves the file as it is', async () => {
    const files = tempFiles();
    await authorizeAll(files, [uniqueKey(), uniqueKey()]);
    const bytes = readFileSync(files.journalPath);
    bytes[readJournal(files.journalPath).records[1]!.offset + 20]! ^= 0xff;
    writeFileSync(files.journalPath, bytes);

    const gateway = openGateway(files, { crashRetries: 0 });
    const outcome = await settle(gateway.authorize({ amount: 1, currency: 'EUR', card, idempotencyKey: uniqueKey() }));
    expect(outcome).toMatchObject({
      error: { code: 'ERR_PORT_CRASHED', message: expect.stringMatching(/exited with code 3 .*damaged and complete records may follow it/) },
    });
    expect(readFileSync(files.journalPath).equals(bytes)).toBe(true);
    expect(readSandboxLedger(files.sandboxLedgerPath)).toHaveLength(2);
  });

  it('a file that is not a journal is refused, not overwritten', async () => {
    const files = tempFiles();
    writeFileSync(files.journalPath, 'important notes\n');
    const gateway = openGateway(files, { crashRetries: 0 });
    const outcome = await settle(gateway.authorize({ amount: 1, currency: 'EUR', card, idempotencyKey: uniqueKey() }));
    expect(outcome).toMatchObject({ error: { code: 'ERR_PORT_CRASHED', message: expect.stringContaining('not a journal') } });
    expect(readFileSync(files.journalPath, 'utf8')).toBe('important notes\n');
  });
});
