import { describe, expect, it } from 'vitest';
import { GatewayError, sandboxCards } from '../lib/index.js';
import { chargesByKey, journalByKey, openGateway, readJournal, readSandboxLedger, settle, tempFiles, uniqueKey } from './support.js';

const card = sandboxCards.approved;

describe('payments', () => {
  it('an approval is charged once, journaled with its outcome, and keeps only the last 4 card digits', async () => {
    const files = tempFiles();
    const gateway = openGateway(files);
    const idempotencyKey = uniqueKey();
    const result = await gateway.authorize({ amount: 1999, currency: 'EUR', card, idempotencyKey });
    expect(result).toEqual({ status: 'approved', transactionId: expect.stringMatching(/^TX\d{10}$/), replayed: false });

    const ledger = readSandboxLedger(files.sandboxLedgerPath);
    expect(ledger).toEqual([
      { id: (result as { transactionId: string }).transactionId, kind: 'AUTH', reference: idempotencyKey, amount: 1999, currency: 'EUR', detail: '1111' },
    ]);
    const entry = journalByKey(readJournal(files.journalPath)).get(idempotencyKey);
    expect(entry?.intent.terms).toEqual({ operation: 'authorize', amount: 1999, currency: 'EUR', cardLast4: '1111' });
    expect(entry?.outcome?.outcome).toEqual({ status: 'approved', transactionId: ledger[0]!.id });
  });

  it('a decline is a result, not an error, and charges nothing', async () => {
    const files = tempFiles();
    const gateway = openGateway(files);
    const request = { amount: 500, currency: 'USD', card: sandboxCards.declined, idempotencyKey: uniqueKey() };
    expect(await gateway.authorize(request)).toEqual({ status: 'declined', replayed: false });
    expect(await gateway.authorize(request)).toEqual({ status: 'declined', replayed: true });
    expect(readSandboxLedger(files.sandboxLedgerPath)).toEqual([]);
  });

  it('capture and refund draw on an authorization within its limits; what is refused moves no money', async () => {
    const files = tempFiles();
    const gateway = openGateway(files);
    const authorized = await gateway.authorize({ amount: 1000, currency: 'EUR', card, idempotencyKey: uniqueKey() });
    expect(authorized.status).toBe('approved');
    const authorizationId = (authorized as { transactionId: string }).transactionId;
    const on = (amount: number, currency = 'EUR') => ({ authorizationId, amount, currency, idempotencyKey: uniqueKey() });

    expect(await gateway.capture(on(600))).toMatchObject({ status: 'approved', replayed: false });
    expect(await gateway.capture(on(400))).toMatchObject({ status: 'approved' });
    const refusals = [
      [await settle(gateway.capture(on(1))), 'GW_AMOUNT_EXCEEDED'],
      [await settle(gateway.refund(on(1001))), 'GW_AMOUNT_EXCEEDED'],
      [await settle(gateway.refund(on(5, 'USD'))), 'GW_BAD_CURRENCY'],
      [await settle(gateway.capture({ ...on(5), authorizationId: 'TX0000009999' })), 'GW_UNKNOWN_TRANSACTION'],
    ] as const;
    for (const [outcome, gatewayStatus] of refusals) {
      expect(outcome).toMatchObject({ error: { code: 'ERR_GATEWAY_REJECTED', gatewayStatus } });
      expect((outcome as { error: unknown }).error).toBeInstanceOf(GatewayError);
    }
    expect(await gateway.refund(on(1000))).toMatchObject({ status: 'approved' });

    const ledger = readSandboxLedger(files.sandboxLedgerPath);
    expect(ledger.map((line) => [line.kind, line.amount, line.detail.startsWith('TX') ? line.detail : 'card'])).toEqual([
      ['AUTH', 1000, 'card'],
      ['CAPT', 600, authorizationId],
      ['CAPT', 400, authorizationId],
      ['RFND', 1000, authorizationId],
    ]);
  });

  it('the same key again gets the same answer, replayed, without a second charge', async () => {
    const files = tempFiles();
    const gateway = openGateway(files);
    const request = { amount: 250, currency: 'GBP', card, idempotencyKey: uniqueKey() };
    const first = await gateway.authorize(request);
    const again = await gateway.authorize(request);
    expect(again).toEqual({ ...first, replayed: true });
    expect(chargesByKey(readSandboxLedger(files.sandboxLedgerPath)).get(request.idempotencyKey)).toHaveLength(1);
  });

  it('duplicates in flight at the same time take turns: one charge, one answer for all', async () => {
    const files = tempFiles();
    const gateway = openGateway(files);
    const request = { amount: 777, currency: 'EUR', card, idempotencyKey: uniqueKey() };
    const results = await Promise.all(Array.from({ length: 32 }, () => gateway.authorize(request)));
    const ids = new Set(results.map((result) => (result as { transactionId: string }).transactionId));
    expect(ids.size).toBe(1);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    expect(chargesByKey(readSandboxLedger(files.sandboxLedgerPath)).get(request.idempotencyKey)).toHaveLength(1);
  });

  it('a key reused for a different request is ERR_IDEMPOTENCY_CONFLICT and charges nothing more', async () => {
    const files = tempFiles();
    const gateway = openGateway(files);
    const idempotencyKey = uniqueKey();
    const first = await gateway.authorize({ amount: 100, currency: 'EUR', card, idempotencyKey });
    const authorizationId = (first as { transactionId: string }).transactionId;
    const reuses = [
      gateway.authorize({ amount: 101, currency: 'EUR', card, idempotencyKey }),
      gateway.authorize({ amount: 100, currency: 'USD', card, idempotencyKey }),
      gateway.authorize({ amount: 100, currency: 'EUR', card: '5555555555554444', idempotencyKey }),
      gateway.capture({ authorizationId, amount: 100, currency: 'EUR', idempotencyKey }),
    ];
    for (const outcome of await Promise.all(reuses.map(settle))) {
      expect(outcome).toMatchObject({
        error: { code: 'ERR_IDEMPOTENCY_CONFLICT', message: expect.stringContaining('card ending 1111') },
      });
    }
    expect(readSandboxLedger(files.sandboxLedgerPath)).toHaveLength(1);
  });

  it('answers survive a restart: a new Gateway on the same files replays them', async () => {
    const files = tempFiles();
    const requests = Array.from({ length: 5 }, (_, at) => ({ amount: 100 + at, currency: 'EUR', card, idempotencyKey: uniqueKey() }));
    const before = openGateway(files);
    const first = await Promise.all(requests.map((request) => before.authorize(request)));
    await before.close();

    const after = openGateway(files);
    const again = await Promise.all(requests.map((request) => after.authorize(request)));
    expect(again).toEqual(first.map((result) => ({ ...result, replayed: true })));
    const next = await after.authorize({ amount: 1, currency: 'EUR', card, idempotencyKey: uniqueKey() });
    expect(next).toMatchObject({ status: 'approved', transactionId: 'TX0000000006', replayed: false });
    expect(readSandboxLedger(files.sandboxLedgerPath)).toHaveLength(6);
  });

  it('two gateways cannot share a journal: the second port refuses to start, and says why', async () => {
    const files = tempFiles();
    const first = openGateway(files);
    await first.authorize({ amount: 1, currency: 'EUR', card, idempotencyKey: uniqueKey() });
    const second = openGateway(files, { crashRetries: 0 });
    const outcome = await settle(second.authorize({ amount: 1, currency: 'EUR', card, idempotencyKey: uniqueKey() }));
    expect(outcome).toMatchObject({ error: { code: 'ERR_PORT_CRASHED', message: expect.stringContaining('in use by another process') } });
    expect(readSandboxLedger(files.sandboxLedgerPath)).toHaveLength(1);
  });
});
