import { describe, expect, it } from 'vitest';
import { passesLuhn } from '../lib/checks.js';
import { Gateway, InteropError, sandboxCards } from '../lib/index.js';
import { openGateway, settle } from './support.js';

const card = sandboxCards.approved;
const valid = { amount: 1999, currency: 'EUR', card, idempotencyKey: 'order-42' };
const validFollowUp = { authorizationId: 'TX0000000001', amount: 500, currency: 'EUR', idempotencyKey: 'capture-42' };

describe('arguments are checked before anything crosses to the port', () => {
  it.each([
    ['amount', { amount: 0 }],
    ['amount', { amount: -5 }],
    ['amount', { amount: 19.99 }],
    ['amount', { amount: 2 ** 53 }],
    ['amount', { amount: '1999' }],
    ['amount', { amount: Number.NaN }],
    ['currency', { currency: 'eur' }],
    ['currency', { currency: 'EURO' }],
    ['currency', { currency: 'XYZ' }],
    ['currency', { currency: 978 }],
    ['card', { card: '4111111111111112' }],
    ['card', { card: '4111 1111 1111 1111' }],
    ['card', { card: '41111111111' }],
    ['card', { card: '41111111111111111111' }],
    ['card', { card: 4111111111111111 }],
    ['idempotencyKey', { idempotencyKey: '' }],
    ['idempotencyKey', { idempotencyKey: 'has space' }],
    ['idempotencyKey', { idempotencyKey: 'k'.repeat(65) }],
    ['idempotencyKey', { idempotencyKey: 'ключ' }],
    ['idempotencyKey', { idempotencyKey: undefined }],
  ])('authorize refuses a bad %s (%o) with ERR_INVALID_ARG, and no process starts', async (name, change) => {
    const gateway = openGateway();
    let spawned = 0;
    gateway.on('spawn', () => spawned++);
    const outcome = await settle(gateway.authorize({ ...valid, ...change } as never));
    expect(outcome).toMatchObject({ error: { code: 'ERR_INVALID_ARG', message: expect.stringContaining(name) } });
    expect((outcome as { error: Error }).error).toBeInstanceOf(InteropError);
    expect(spawned).toBe(0);
    expect(gateway.pid).toBeUndefined();
  });

  it.each([
    ['authorizationId', { authorizationId: 'TX1' }],
    ['authorizationId', { authorizationId: 'tx0000000001' }],
    ['amount', { amount: 0 }],
    ['currency', { currency: 'usd' }],
    ['idempotencyKey', { idempotencyKey: '' }],
  ])('capture and refund refuse a bad %s (%o)', async (name, change) => {
    const gateway = openGateway();
    for (const operation of ['capture', 'refund'] as const) {
      const outcome = await settle(gateway[operation]({ ...validFollowUp, ...change } as never));
      expect(outcome).toMatchObject({ error: { code: 'ERR_INVALID_ARG', message: expect.stringContaining(name) } });
    }
    expect(gateway.pid).toBeUndefined();
  });

  it('a request that is not an object, and bad call options, are ERR_INVALID_ARG', async () => {
    const gateway = openGateway();
    expect(await settle(gateway.authorize(null as never))).toMatchObject({ error: { code: 'ERR_INVALID_ARG' } });
    expect(await settle(gateway.capture('TX0000000001' as never))).toMatchObject({ error: { code: 'ERR_INVALID_ARG' } });
    expect(await settle(gateway.authorize(valid, { timeoutMs: -1 }))).toMatchObject({ error: { code: 'ERR_INVALID_ARG' } });
  });

  it('card numbers never appear in messages: only the last 4 digits, wherever the number was put', async () => {
    const gateway = openGateway();
    const misplaced = [
      { card: '4111111111111112' },
      { card: 4111111111111111 },
      { currency: card },
      { idempotencyKey: `order ${card}` },
      { amount: card },
    ];
    for (const change of misplaced) {
      const outcome = await settle(gateway.authorize({ ...valid, ...change } as never));
      const { message } = (outcome as { error: Error }).error;
      expect(message).not.toMatch(/\d{12}/);
    }
    const luhn = await settle(gateway.authorize({ ...valid, card: '4111111111111112' }));
    expect(luhn).toMatchObject({ error: { message: expect.stringContaining('****1112') } });
  });

  it('options are checked when the Gateway is made', () => {
    const files = { journalPath: '/tmp/journal', sandboxLedgerPath: '/tmp/ledger' };
    expect(() => new Gateway({ ...files, journalPath: '' })).toThrow(/journalPath/);
    expect(() => new Gateway({ ...files, sandboxLedgerPath: undefined as never })).toThrow(/sandboxLedgerPath/);
    expect(() => new Gateway({ ...files, crashRetries: -1 })).toThrow(/crashRetries/);
    expect(() => new Gateway({ ...files, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});

describe('Luhn', () => {
  it('accepts the sandbox cards and known test numbers, and refuses any one changed digit', () => {
    const numbers = [...Object.values(sandboxCards), '5555555555554444', '378282246310005', '6011111111111117'];
    for (const number of numbers) {
      expect(passesLuhn(number), number).toBe(true);
      for (let at = 0; at < number.length; at++) {
        const changed = number.slice(0, at) + ((Number(number[at]) + 1) % 10) + number.slice(at + 1);
        expect(passesLuhn(changed), changed).toBe(false);
      }
    }
  });
});
