/** A real peer on the other side: node:crypto (OpenSSL) opens and verifies what this package makes, and the reverse. */
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, randomBytes, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NONCE_BYTES, TAG_BYTES, decrypt, encrypt, generateSigningKeyPair, sign, verify } from '../lib/index.js';
import { propertyRuns } from './random.js';

/** Each run builds node:crypto cipher or key objects; a tenth of the usual runs keeps this file to seconds. */
const interopRuns = Math.max(1, Math.floor(propertyRuns / 10));

function nodeSeal(plaintext: Uint8Array, key: Uint8Array, aad?: Uint8Array): Uint8Array {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  if (aad) cipher.setAAD(aad);
  return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function nodeOpen(sealed: Uint8Array, key: Uint8Array, aad?: Uint8Array): Uint8Array {
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

const jwk = (fields: Record<string, Uint8Array>) =>
  Object.fromEntries([['kty', 'OKP'], ['crv', 'Ed25519'], ...Object.entries(fields).map(([name, value]) => [name, Buffer.from(value).toString('base64url')])]);
const nodePrivateKey = (secretKey: Uint8Array, publicKey: Uint8Array) =>
  createPrivateKey({ key: jwk({ d: secretKey, x: publicKey }), format: 'jwk' });
const nodePublicKey = (publicKey: Uint8Array) => createPublicKey({ key: jwk({ x: publicKey }), format: 'jwk' });

const plaintexts = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 1000, maxLength: 5000 }));
const keys = fc.uint8Array({ minLength: 32, maxLength: 32 });
const aads = fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined });

describe('AES-256-GCM against node:crypto', () => {
  it('node:crypto opens what encrypt sealed', () => {
    fc.assert(
      fc.property(plaintexts, keys, aads, (plaintext, key, aad) => {
        expect(new Uint8Array(nodeOpen(encrypt(plaintext, key, aad), key, aad))).toEqual(plaintext);
      }),
      { numRuns: interopRuns },
    );
  });

  it('decrypt opens what node:crypto sealed', () => {
    fc.assert(
      fc.property(plaintexts, keys, aads, (plaintext, key, aad) => {
        expect(decrypt(nodeSeal(plaintext, key, aad), key, aad)).toEqual(plaintext);
      }),
      { numRuns: interopRuns },
    );
  });

  it('both sides agree on 1 MiB with aad', () => {
    const plaintext = randomBytes(1024 * 1024);
    const key = randomBytes(32);
    const aad = randomBytes(100);
    expect(Buffer.from(nodeOpen(encrypt(plaintext, key, aad), key, aad)).equals(plaintext)).toBe(true);
    expect(Buffer.from(decrypt(nodeSeal(plaintext, key, aad), key, aad)).equals(plaintext)).toBe(true);
  });

  it('node:crypto refuses what encrypt sealed when the aad differs', () => {
    const key = randomBytes(32);
    const sealed = encrypt(new TextEncoder().encode('amount=100'), key, new TextEncoder().encode('order-1'));
    expect(() => nodeOpen(sealed, key, new TextEncoder().encode('order-2'))).toThrow(/authenticate/);
  });
});

describe('Ed25519 against node:crypto', () => {
  const messages = fc.uint8Array({ maxLength: 256 });

  it('node:crypto verifies what sign made, and derives the same public key from the seed', () => {
    fc.assert(
      fc.property(messages, (message) => {
        const { secretKey, publicKey } = generateSigningKeyPair();
        const fromSeed = createPublicKey(nodePrivateKey(secretKey, publicKey)).export({ format: 'jwk' });
        expect(fromSeed.x).toBe(Buffer.from(publicKey).toString('base64url'));
        expect(nodeVerify(null, message, nodePublicKey(publicKey), sign(message, secretKey))).toBe(true);
      }),
      { numRuns: interopRuns },
    );
  });

  it('verify accepts what node:crypto signed, byte for byte the signature sign makes', () => {
    fc.assert(
      fc.property(messages, (message) => {
        const { secretKey, publicKey } = generateSigningKeyPair();
        const nodeSignature = new Uint8Array(nodeSign(null, message, nodePrivateKey(secretKey, publicKey)));
        expect(verify(message, nodeSignature, publicKey)).toBe(true);
        // Ed25519 signing is deterministic, so both implementations must produce the same bytes.
        expect(sign(message, secretKey)).toEqual(nodeSignature);
      }),
      { numRuns: interopRuns },
    );
  });
});
