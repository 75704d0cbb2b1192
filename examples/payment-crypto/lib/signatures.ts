/**
 * Ed25519 (RFC 8032) with strict verification: non-canonical encodings and small-order keys or R
 * points are rejected, so one message has one valid signature per key (no malleability).
 */
import { callNative, checkFixedBytes, checkMessageBytes } from './bytes.js';
import { native } from './addon.js';

export const SECRET_KEY_BYTES = 32;
export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

export interface SigningKeyPair {
  /** The RFC 8032 private key: a 32-byte seed. Keep it secret. */
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** A key pair from the OS RNG. */
export function generateSigningKeyPair(): SigningKeyPair {
  const pair = callNative(() => native.ed25519Generate());
  const keys = { secretKey: pair.slice(0, SECRET_KEY_BYTES), publicKey: pair.slice(SECRET_KEY_BYTES) };
  pair.fill(0);
  return keys;
}

export function sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  const messageBytes = checkMessageBytes(message, 'message');
  const seed = checkFixedBytes(secretKey, 'secretKey', SECRET_KEY_BYTES);
  return callNative(() => native.ed25519Sign(messageBytes, seed));
}

/** False for any signature that does not verify; ERR_INVALID_ARG only for arguments of the wrong type or size. */
export function verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  const messageBytes = checkMessageBytes(message, 'message');
  const signatureBytes = checkFixedBytes(signature, 'signature', SIGNATURE_BYTES);
  const publicKeyBytes = checkFixedBytes(publicKey, 'publicKey', PUBLIC_KEY_BYTES);
  return callNative(() => native.ed25519Verify(messageBytes, signatureBytes, publicKeyBytes));
}
