import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ID_BYTES, TRANSACTION_DOMAIN, encodeTransaction, hashTransaction, verifyTransaction, type Transaction } from '../lib/index.js';
import { expectInvalidArg, thrownBy } from './expect-error.js';
import { propertyRuns } from './random.js';

const sha256Hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

const transactions: fc.Arbitrary<Transaction> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 40, unit: fc.constantFrom('a', 'b', '|', '1', '\0', 'é', '😀') }),
  amount: fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.integer({ min: -1_000_000, max: 1_000_000 })),
  timestamp: fc.oneof(fc.integer({ min: 0, max: 2_000_000_000_000 }), fc.constantFrom(0, Number.MAX_SAFE_INTEGER)),
});

describe('encodeTransaction', () => {
  it('is the encoding the README states, byte for byte', () => {
    const encoding = encodeTransaction({ id: 'tx-42', amount: 1999, timestamp: 1_700_000_000_000 });
    const expected =
      Buffer.from('payment-crypto/transaction/v1\0', 'latin1').toString('hex') +
      '00000005' + Buffer.from('tx-42').toString('hex') +
      '00000000000007cf' + // 1999
      '0000018bcfe56800'; // 1_700_000_000_000
    expect(Buffer.from(encoding).toString('hex')).toBe(expected);
    expect(TRANSACTION_DOMAIN).toHaveLength(30);
  });

  it('gives two transactions the same bytes exactly when they are the same transaction', () => {
    // Unrelated pairs, and pairs one field apart (an id one "|" longer, an amount off by one, a number
    // amount against its bigint), so the equal and nearly equal cases are drawn often.
    const nearby = transactions.chain((a) =>
      fc
        .record({
          id: fc.constantFrom(a.id, `${a.id}|`, `|${a.id}`),
          amount: fc.constantFrom(a.amount, BigInt(a.amount), BigInt(a.amount) ^ 1n),
          timestamp: fc.constantFrom(a.timestamp, a.timestamp === 0 ? 1 : a.timestamp - 1),
        })
        .map((b): [Transaction, Transaction] => [a, b]),
    );
    fc.assert(
      fc.property(fc.oneof(fc.tuple(transactions, transactions), nearby), ([a, b]) => {
        const same = a.id === b.id && BigInt(a.amount) === BigInt(b.amount) && a.timestamp === b.timestamp;
        expect(Buffer.from(encodeTransaction(a)).equals(encodeTransaction(b))).toBe(same);
      }),
      { numRuns: propertyRuns },
    );
  });

  it('encodes a number amount and the equal bigint alike', () => {
    expect(encodeTransaction({ id: 't', amount: -5, timestamp: 1 })).toEqual(encodeTransaction({ id: 't', amount: -5n, timestamp: 1 }));
  });

  it('names the bad field with ERR_INVALID_ARG', () => {
    const valid = { id: 'tx', amount: 1, timestamp: 1 };
    const cases: [unknown, string][] = [
      [null, 'transaction must be an object'],
      ['tx', 'transaction must be an object'],
      [{ ...valid, id: '' }, 'transaction id'],
      [{ ...valid, id: 42 }, 'transaction id'],
      [{ ...valid, id: 'bad \uD800 surrogate' }, 'transaction id'],
      [{ ...valid, id: 'x'.repeat(MAX_ID_BYTES + 1) }, `at most ${MAX_ID_BYTES} bytes`],
      [{ ...valid, id: 'é'.repeat(MAX_ID_BYTES / 2 + 1) }, `at most ${MAX_ID_BYTES} bytes`],
      [{ ...valid, amount: 1.5 }, 'amount'],
      [{ ...valid, amount: Number.NaN }, 'amount'],
      [{ ...valid, amount: 2 ** 53 }, 'amount'],
      [{ ...valid, amount: 2n ** 63n }, 'amount'],
      [{ ...valid, amount: -(2n ** 63n) - 1n }, 'amount'],
      [{ ...valid, amount: '100' }, 'amount'],
      [{ ...valid, timestamp: -1 }, 'timestamp'],
      [{ ...valid, timestamp: 1.5 }, 'timestamp'],
      [{ ...valid, timestamp: new Date(0) }, 'timestamp'],
    ];
    for (const [transaction, expected] of cases) {
      expectInvalidArg(thrownBy(() => encodeTransaction(transaction as Transaction)), expected);
      expectInvalidArg(thrownBy(() => hashTransaction(transaction as Transaction)), expected);
      expectInvalidArg(thrownBy(() => verifyTransaction(transaction as Transaction, '0'.repeat(64))), expected);
    }
    expect(() => encodeTransaction({ id: 'é'.repeat(MAX_ID_BYTES / 2), amount: -(2n ** 63n), timestamp: Number.MAX_SAFE_INTEGER })).not.toThrow();
  });
});

describe('hashTransaction and verifyTransaction', () => {
  it('hashTransaction is the SHA-256 of the encoding (node:crypto), in lowercase hex', () => {
    fc.assert(
      fc.property(transactions, (transaction) => {
        expect(hashTransaction(transaction)).toBe(sha256Hex(encodeTransaction(transaction)));
      }),
      { numRuns: propertyRuns },
    );
  });

  it('verifyTransaction accepts the digest in either case and refuses any other digest', () => {
    fc.assert(
      fc.property(transactions, fc.nat({ max: 63 }), fc.integer({ min: 1, max: 15 }), (transaction, position, delta) => {
        const digest = hashTransaction(transaction);
        expect(verifyTransaction(transaction, digest)).toBe(true);
        expect(verifyTransaction(transaction, digest.toUpperCase())).toBe(true);
        const changedDigit = ((parseInt(digest[position]!, 16) + delta) % 16).toString(16);
        const forged = digest.slice(0, position) + changedDigit + digest.slice(position + 1);
        expect(verifyTransaction(transaction, forged)).toBe(false);
      }),
      { numRuns: propertyRuns },
    );
  });

  it('verifyTransaction refuses a malformed digest with ERR_INVALID_ARG', () => {
    const transaction = { id: 'tx', amount: 1, timestamp: 1 };
    fc.assert(
      fc.property(
        fc.oneof(fc.string().filter((text) => !/^[0-9a-f]{64}$/i.test(text)), fc.integer(), fc.constantFrom(null, undefined, new Uint8Array(32))),
        (digest) => {
          expectInvalidArg(thrownBy(() => verifyTransaction(transaction, digest as string)), 'expectedHex');
        },
      ),
      { numRuns: Math.min(propertyRuns, 1000) },
    );
  });
});
