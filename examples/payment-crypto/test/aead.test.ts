import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NONCE_BYTES, TAG_BYTES, decrypt, encrypt } from '../lib/index.js';
import { native } from '../lib/addon.js';
import { expectDecryptFailure, expectInvalidArg, thrownBy } from './expect-error.js';
import { propertyRuns, randomData } from './random.js';

const keys = fc.uint8Array({ minLength: 32, maxLength: 32 });
const plaintexts = fc.uint8Array({ maxLength: 300 });
const aads = fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined });
const notBytes = fc.oneof(fc.string(), fc.integer(), fc.constantFrom(null, [1, 2], new ArrayBuffer(32), new Uint16Array(16), {}));

describe('encrypt and decrypt', () => {
  it('decrypt returns what encrypt sealed, and the layout is nonce ‖ ciphertext ‖ tag', () => {
    fc.assert(
      fc.property(plaintexts, keys, aads, (plaintext, key, aad) => {
        const sealed = encrypt(plaintext, key, aad);
        expect(sealed.length).toBe(NONCE_BYTES + plaintext.length + TAG_BYTES);
        expect(decrypt(sealed, key, aad)).toEqual(plaintext);
      }),
      { numRuns: propertyRuns },
    );
  });

  it('takes a fresh nonce every call, so equal plaintexts seal differently', () => {
    const key = randomData(32);
    const plaintext = new TextEncoder().encode('{"amount":100}');
    const nonces = new Set(Array.from({ length: 1000 }, () => Buffer.from(encrypt(plaintext, key).subarray(0, NONCE_BYTES)).toString('hex')));
    expect(nonces.size).toBe(1000);
  });

  it('flipping any single bit of a sealed message gives ERR_DECRYPT', () => {
    fc.assert(
      fc.property(plaintexts, keys, aads, fc.nat(), (plaintext, key, aad, bitSeed) => {
        const sealed = encrypt(plaintext, key, aad);
        const bit = bitSeed % (sealed.length * 8);
        sealed[bit >> 3]! ^= 1 << (bit & 7);
        expectDecryptFailure(thrownBy(() => decrypt(sealed, key, aad)));
      }),
      { numRuns: propertyRuns },
    );
  });

  it('a wrong key, a different or missing aad, or a truncated message all give the same ERR_DECRYPT', () => {
    const key = randomData(32);
    const aad = new TextEncoder().encode('order-1');
    const sealed = encrypt(new TextEncoder().encode('card=4111…'), key, aad);
    expectDecryptFailure(thrownBy(() => decrypt(sealed, randomData(32), aad)));
    expectDecryptFailure(thrownBy(() => decrypt(sealed, key, new TextEncoder().encode('order-2'))));
    expectDecryptFailure(thrownBy(() => decrypt(sealed, key)));
    expectDecryptFailure(thrownBy(() => decrypt(sealed.subarray(0, sealed.length - 1), key, aad)));
    expectDecryptFailure(thrownBy(() => decrypt(new Uint8Array(NONCE_BYTES + TAG_BYTES - 1), key)));
    expectDecryptFailure(thrownBy(() => decrypt(new Uint8Array(0), key)));
  });

  it('seals and opens the empty message, and views into larger buffers by their own bytes', () => {
    const key = randomData(32);
    expect(decrypt(encrypt(new Uint8Array(0), key), key)).toEqual(new Uint8Array(0));
    const backing = randomData(4096);
    const view = backing.subarray(100, 300);
    expect(decrypt(encrypt(view, key), key)).toEqual(view);
  });

  it('names the bad argument with ERR_INVALID_ARG for wrong types and key sizes', () => {
    const key = randomData(32);
    const sealed = encrypt(randomData(10), key);
    fc.assert(
      fc.property(notBytes, (value) => {
        expectInvalidArg(thrownBy(() => encrypt(value as Uint8Array, key)), 'plaintext');
        expectInvalidArg(thrownBy(() => encrypt(randomData(4), value as Uint8Array)), 'key');
        expectInvalidArg(thrownBy(() => encrypt(randomData(4), key, value as Uint8Array)), 'aad');
        expectInvalidArg(thrownBy(() => decrypt(value as Uint8Array, key)), 'sealed');
        expectInvalidArg(thrownBy(() => decrypt(sealed, value as Uint8Array)), 'key');
        expectInvalidArg(thrownBy(() => decrypt(sealed, key, value as Uint8Array)), 'aad');
      }),
      { numRuns: Math.min(propertyRuns, 1000) },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }).filter((size) => size !== 32), (size) => {
        expectInvalidArg(thrownBy(() => encrypt(randomData(4), randomData(size))), 'key must be 32 bytes');
        expectInvalidArg(thrownBy(() => decrypt(sealed, randomData(size))), 'key must be 32 bytes');
      }),
      { numRuns: Math.min(propertyRuns, 1000) },
    );
  });

  it('refuses inputs over 64 MiB with ERR_INVALID_ARG', () => {
    const oversized = new Uint8Array(64 * 1024 * 1024 + 1);
    const key = randomData(32);
    expectInvalidArg(thrownBy(() => encrypt(oversized, key)), 'plaintext must be at most');
    expectInvalidArg(thrownBy(() => decrypt(oversized, key)), 'sealed must be at most');
  });

  it('the binding refuses an output array that shares memory with an input', () => {
    // lib/aead.ts always allocates a fresh output; this guards direct callers of the binding.
    const key = randomData(32);
    const shared = new Uint8Array(NONCE_BYTES + 4 + TAG_BYTES);
    const noAad = new Uint8Array(0);
    const overlapping = /^ERR_INVALID_ARG: the output array must not share memory with an input$/;
    expect(() => native.aesGcmSeal(shared.subarray(0, 4), key, noAad, shared)).toThrow(overlapping);
    const sealed = encrypt(randomData(4), key);
    expect(() => native.aesGcmOpen(sealed, key, noAad, sealed.subarray(NONCE_BYTES, NONCE_BYTES + 4))).toThrow(overlapping);
    expect(() => native.aesGcmSeal(randomData(4), key, noAad, new Uint8Array(NONCE_BYTES + 5 + TAG_BYTES))).toThrow(
      /^ERR_INVALID_ARG: sealed must be 32 bytes for this input, got 33$/,
    );
  });
});
