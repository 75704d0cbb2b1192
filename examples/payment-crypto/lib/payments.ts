/**
 * Payment tokens: a payment object as JSON, sealed with AES-256-GCM, as base64url (URL- and header-safe).
 * The seeds' PaymentEncryption did the same on AES-256-CBC, so a changed token decrypted to garbage
 * instead of failing.
 */
import { decrypt, decryptFailed, encrypt } from './aead.js';
import { describe, invalidArg } from './bytes.js';

/** Bound as AES-GCM associated data: a token opens only as a payment, never as some other sealed message. */
const PAYMENT_AAD = new TextEncoder().encode('payment-crypto/payment/v1');
const base64url = /^[A-Za-z0-9_-]*$/;

export function encryptPayment(payment: unknown, key: Uint8Array): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(payment);
  } catch (error) {
    throw invalidArg(`payment must be JSON-serialisable: ${(error as Error).message}`, error);
  }
  if (json === undefined) throw invalidArg(`payment must be JSON-serialisable, got ${describe(payment)}`);
  return Buffer.from(encrypt(Buffer.from(json, 'utf8'), key, PAYMENT_AAD)).toString('base64url');
}

/** The payment in a token from `encryptPayment`; ERR_DECRYPT for any token not sealed with this key. */
export function decryptPayment<Payment = unknown>(token: string, key: Uint8Array): Payment {
  if (typeof token !== 'string') throw invalidArg(`token must be a base64url string, got ${describe(token)}`);
  // Buffer's decoder skips characters outside the alphabet, so a mangled token is refused here instead.
  if (!base64url.test(token)) throw decryptFailed();
  const plaintext = decrypt(Buffer.from(token, 'base64url'), key, PAYMENT_AAD);
  try {
    return JSON.parse(Buffer.from(plaintext).toString('utf8')) as Payment;
  } catch (error) {
    // Only a holder of the key can get here, by sealing something other than JSON under the payment label.
    throw invalidArg('token is authentic but holds no JSON payment', error);
  }
}
