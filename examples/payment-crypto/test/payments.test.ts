import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptPayment, encrypt, encryptPayment } from '../lib/index.js';
import { expectDecryptFailure, expectInvalidArg, thrownBy } from './expect-error.js';
import { propertyRuns, randomData } from './random.js';

const key = randomData(32);

describe('payment tokens', () => {
  it('decryptPayment returns what encryptPayment sealed, as JSON would', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (payment) => {
        const token = encryptPayment(payment, key);
        expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decryptPayment(token, key)).toEqual(JSON.parse(JSON.stringify(payment)));
      }),
      { numRuns: propertyRuns },
    );
  });

  it('a token with any one character changed gives ERR_DECRYPT', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const token = encryptPayment({ card: '4111111111111111', amount: 1999, currency: 'EUR' }, key);
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.integer({ min: 1, max: 63 }), (position, shift) => {
        const replaced = alphabet[(alphabet.indexOf(token[position]!) + shift) % 64]!;
        const forged = token.slice(0, position) + replaced + token.slice(position + 1);
        // The last character carries padding bits that base64url decoding drops; a change there may decode alike.
        if (Buffer.from(forged, 'base64url').equals(Buffer.from(token, 'base64url'))) return;
        expectDecryptFailure(thrownBy(() => decryptPayment(forged, key)));
      }),
      { numRuns: Math.min(propertyRuns, 2000) },
    );
  });

  it('refuses a token under another key, a plain encrypt() message, and text outside base64url with ERR_DECRYPT', () => {
    const token = encryptPayment({ amount: 1 }, key);
    expectDecryptFailure(thrownBy(() => decryptPayment(token, randomData(32))));
    const withoutPaymentAad = Buffer.from(encrypt(new TextEncoder().encode('{"amount":1}'), key)).toString('base64url');
    expectDecryptFailure(thrownBy(() => decryptPayment(withoutPaymentAad, key)));
    expectDecryptFailure(thrownBy(() => decryptPayment(`${token}!`, key)));
    expectDecryptFailure(thrownBy(() => decryptPayment('', key)));
  });

  it('names the bad argument with ERR_INVALID_ARG', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const payment of [undefined, () => 1, Symbol('x'), 10n, cyclic]) {
      expectInvalidArg(thrownBy(() => encryptPayment(payment, key)), 'payment must be JSON-serialisable');
    }
    expectInvalidArg(thrownBy(() => encryptPayment({ amount: 1 }, randomData(16))), 'key must be 32 bytes');
    const token = encryptPayment({ amount: 1 }, key);
    expectInvalidArg(thrownBy(() => decryptPayment(token, randomData(31))), 'key must be 32 bytes');
    for (const notToken of [null, 42, new Uint8Array(40), { token }]) {
      expectInvalidArg(thrownBy(() => decryptPayment(notToken as never, key)), 'token');
    }
    const notJson = encrypt(new TextEncoder().encode('not json'), key, new TextEncoder().encode('payment-crypto/payment/v1'));
    expectInvalidArg(thrownBy(() => decryptPayment(Buffer.from(notJson).toString('base64url'), key)), 'holds no JSON payment');
  });
});
