import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PUBLIC_KEY_BYTES, SECRET_KEY_BYTES, SIGNATURE_BYTES, generateSigningKeyPair, sign, verify } from '../lib/index.js';
import { expectInvalidArg, thrownBy } from './expect-error.js';
import { propertyRuns, randomData } from './random.js';

/** The order of the Ed25519 base point, L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032). */
const groupOrder = 2n ** 252n + 27742317777372353535851937790883648493n;
const messages = fc.uint8Array({ maxLength: 200 });

function littleEndianToBigInt(bytes: Uint8Array): bigint {
  return bytes.reduceRight((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

function bigIntToLittleEndian(value: bigint, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => Number((value >> BigInt(8 * index)) & 0xffn));
}

describe('Ed25519', () => {
  it('generateSigningKeyPair gives a fresh working pair each call', () => {
    const pairs = Array.from({ length: 100 }, () => generateSigningKeyPair());
    for (const { secretKey, publicKey } of pairs) {
      expect(secretKey).toHaveLength(SECRET_KEY_BYTES);
      expect(publicKey).toHaveLength(PUBLIC_KEY_BYTES);
      expect(verify(new Uint8Array([1]), sign(new Uint8Array([1]), secretKey), publicKey)).toBe(true);
    }
    expect(new Set(pairs.map(({ secretKey }) => Buffer.from(secretKey).toString('hex'))).size).toBe(100);
  });

  it('verify accepts a signature for its message and key, and rejects it after any single-bit change', () => {
    const { secretKey, publicKey } = generateSigningKeyPair();
    fc.assert(
      fc.property(messages, fc.nat(), fc.constantFrom('message', 'signature', 'publicKey'), (message, bitSeed, target) => {
        const signature = sign(message, secretKey);
        expect(signature).toHaveLength(SIGNATURE_BYTES);
        expect(verify(message, signature, publicKey)).toBe(true);
        const changed = { message: Uint8Array.from(message), signature: Uint8Array.from(signature), publicKey: Uint8Array.from(publicKey) };
        const bytes = changed[target];
        if (bytes.length === 0) return;
        const bit = bitSeed % (bytes.length * 8);
        bytes[bit >> 3]! ^= 1 << (bit & 7);
        expect(verify(changed.message, changed.signature, changed.publicKey)).toBe(false);
      }),
      { numRuns: propertyRuns },
    );
  });

  it('verify returns false, never throws, for any well-sized public key and signature', () => {
    fc.assert(
      fc.property(messages, fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (message, signature, publicKey) => {
        expect(verify(message, signature, publicKey)).toBe(false);
      }),
      { numRuns: propertyRuns },
    );
  });

  it('is strict: S + L (the malleated twin of a valid signature) is refused', () => {
    fc.assert(
      fc.property(messages, (message) => {
        const { secretKey, publicKey } = generateSigningKeyPair();
        const signature = sign(message, secretKey);
        const malleated = Uint8Array.from(signature);
        malleated.set(bigIntToLittleEndian(littleEndianToBigInt(signature.subarray(32)) + groupOrder, 32), 32);
        expect(verify(message, signature, publicKey)).toBe(true);
        expect(verify(message, malleated, publicKey)).toBe(false);
      }),
      { numRuns: Math.min(propertyRuns, 1000) },
    );
  });

  it('is strict: a small-order public key is refused even where the cofactorless equation holds', () => {
    // A = R = the identity point, S = 0: [S]B = R + [k]A holds for every message, so a lax verifier accepts.
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const signature = new Uint8Array(64);
    signature.set(identity);
    expect(verify(new TextEncoder().encode('pay 1,000,000'), signature, identity)).toBe(false);
  });

  it('names the bad argument with ERR_INVALID_ARG for wrong types and sizes', () => {
    const { secretKey, publicKey } = generateSigningKeyPair();
    const message = randomData(10);
    const signature = sign(message, secretKey);
    const notBytes = fc.oneof(fc.string(), fc.integer(), fc.constantFrom(null, undefined, [1], new ArrayBuffer(32), {}));
    fc.assert(
      fc.property(notBytes, (value) => {
        expectInvalidArg(thrownBy(() => sign(value as Uint8Array, secretKey)), 'message');
        expectInvalidArg(thrownBy(() => sign(message, value as Uint8Array)), 'secretKey');
        expectInvalidArg(thrownBy(() => verify(value as Uint8Array, signature, publicKey)), 'message');
        expectInvalidArg(thrownBy(() => verify(message, value as Uint8Array, publicKey)), 'signature');
        expectInvalidArg(thrownBy(() => verify(message, signature, value as Uint8Array)), 'publicKey');
      }),
      { numRuns: Math.min(propertyRuns, 1000) },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (size) => {
        if (size !== 32) {
          expectInvalidArg(thrownBy(() => sign(message, randomData(size))), 'secretKey must be 32 bytes');
          expectInvalidArg(thrownBy(() => verify(message, signature, randomData(size))), 'publicKey must be 32 bytes');
        }
        if (size !== 64) expectInvalidArg(thrownBy(() => verify(message, randomData(size), publicKey)), 'signature must be 64 bytes');
      }),
      { numRuns: Math.min(propertyRuns, 1000) },
    );
  });
});
