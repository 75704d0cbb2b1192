/**
 * AES-256-GCM: authenticated encryption, so a changed byte is detected instead of decrypted into
 * garbage (the seeds' AES-256-CBC could not tell). Runs on the calling thread, like node:crypto's
 * ciphers: a payment message is microseconds of work, far less than a hop to the thread pool.
 */
import { InteropError, toInteropError } from '@interop-module/runtime';
import { callNative, checkFixedBytes, checkMessageBytes } from './bytes.js';
import { native } from './addon.js';

export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

/** One error for every authentication failure, carrying no detail an attacker could use as an oracle. */
export function decryptFailed(): InteropError {
  return new InteropError('ERR_DECRYPT', 'the message could not be decrypted');
}

const emptyAad = new Uint8Array(0);

function checkAad(aad: unknown): Uint8Array {
  return aad === undefined ? emptyAad : checkMessageBytes(aad, 'aad');
}

/** `nonce(12) ‖ ciphertext ‖ tag(16)`; the nonce is fresh from the OS RNG on every call. */
export function encrypt(plaintext: Uint8Array, key: Uint8Array, aad?: Uint8Array): Uint8Array {
  const message = checkMessageBytes(plaintext, 'plaintext');
  const keyBytes = checkFixedBytes(key, 'key', KEY_BYTES);
  const aadBytes = checkAad(aad);
  // Allocated here and filled by Rust: the result is written once, with no copy out of Rust memory.
  const sealed = new Uint8Array(NONCE_BYTES + message.byteLength + TAG_BYTES);
  callNative(() => native.aesGcmSeal(message, keyBytes, aadBytes, sealed));
  return sealed;
}

/** The plaintext of a message from `encrypt` (or any AES-256-GCM peer using the same layout). */
export function decrypt(sealed: Uint8Array, key: Uint8Array, aad?: Uint8Array): Uint8Array {
  const message = checkMessageBytes(sealed, 'sealed');
  const keyBytes = checkFixedBytes(key, 'key', KEY_BYTES);
  const aadBytes = checkAad(aad);
  if (message.byteLength < NONCE_BYTES + TAG_BYTES) throw decryptFailed();
  const plaintext = new Uint8Array(message.byteLength - NONCE_BYTES - TAG_BYTES);
  try {
    native.aesGcmOpen(message, keyBytes, aadBytes, plaintext);
  } catch (error) {
    // Rust reports every authentication failure as "ERR_DECRYPT: ..."; nothing else is passed on.
    if (error instanceof Error && error.message.startsWith('ERR_DECRYPT:')) throw decryptFailed();
    throw toInteropError(error);
  }
  return plaintext;
}
