/**
 * Transaction digests over a canonical encoding. Joining fields with "|" (as the seeds did) only
 * separates them while no field can contain "|", and numbers printed as text have several spellings
 * (1000, 1e3, 1000.0). A length prefix and fixed-width integers make every boundary explicit and every
 * value's bytes unique, so two transactions share an encoding exactly when they are the same.
 */
import { callNative, describe, invalidArg } from './bytes.js';
import { native } from './addon.js';

export interface Transaction {
  /** Non-empty, well-formed Unicode, at most 256 bytes as UTF-8. */
  id: string;
  /** In minor units (cents), a signed 64-bit integer: a safe-integer number or a bigint. */
  amount: number | bigint;
  /** Milliseconds since the Unix epoch: a non-negative safe integer. */
  timestamp: number;
}

export const MAX_ID_BYTES = 256;
/** Domain separation: these bytes never collide with a digest of anything that is not a v1 transaction. */
export const TRANSACTION_DOMAIN = 'payment-crypto/transaction/v1\0';

const utf8 = new TextEncoder();
const domainBytes = utf8.encode(TRANSACTION_DOMAIN);
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
/** With the u flag a surrogate pair is one code point, so this matches only unpaired surrogates. */
const loneSurrogate = /[\uD800-\uDFFF]/u;
const digestHex = /^[0-9a-f]{64}$/i;

function checkAmount(amount: unknown): bigint {
  if (typeof amount === 'number' && Number.isSafeInteger(amount)) return BigInt(amount);
  if (typeof amount === 'bigint' && amount >= int64Min && amount <= int64Max) return amount;
  throw invalidArg(
    `amount must be an integer number of minor units (a safe integer or a 64-bit bigint), got ${
      typeof amount === 'number' || typeof amount === 'bigint' ? String(amount) : describe(amount)
    }`,
  );
}

/**
 * `domain ‖ u32be(len(id)) ‖ utf8(id) ‖ i64be(amount) ‖ u64be(timestamp)`, where domain is the 30
 * bytes of TRANSACTION_DOMAIN. README "Canonical transaction encoding" states the same.
 */
export function encodeTransaction(transaction: Transaction): Uint8Array {
  if (typeof transaction !== 'object' || transaction === null) {
    throw invalidArg(`transaction must be an object with id, amount and timestamp, got ${describe(transaction)}`);
  }
  const { id, amount, timestamp } = transaction;
  if (typeof id !== 'string' || id.length === 0 || loneSurrogate.test(id)) {
    throw invalidArg(`transaction id must be a non-empty, well-formed string, got ${describe(id)}`);
  }
  const idBytes = utf8.encode(id);
  if (idBytes.byteLength > MAX_ID_BYTES) {
    throw invalidArg(`transaction id must be at most ${MAX_ID_BYTES} bytes as UTF-8, got ${idBytes.byteLength}`);
  }
  const minorUnits = checkAmount(amount);
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw invalidArg(
      `transaction timestamp must be a non-negative safe integer (ms since the epoch), got ${
        typeof timestamp === 'number' ? timestamp : describe(timestamp)
      }`,
    );
  }

  const encoding = new Uint8Array(domainBytes.byteLength + 4 + idBytes.byteLength + 8 + 8);
  const view = new DataView(encoding.buffer);
  encoding.set(domainBytes, 0);
  let offset = domainBytes.byteLength;
  view.setUint32(offset, idBytes.byteLength);
  encoding.set(idBytes, offset + 4);
  offset += 4 + idBytes.byteLength;
  view.setBigInt64(offset, minorUnits);
  view.setBigUint64(offset + 8, BigInt(timestamp));
  return encoding;
}

/** SHA-256 of the canonical encoding, as 64 lowercase hex digits. */
export function hashTransaction(transaction: Transaction): string {
  const encoding = encodeTransaction(transaction);
  return Buffer.from(callNative(() => native.hashSync(encoding))).toString('hex');
}

/**
 * Whether `expectedHex` is the digest of `transaction`, compared in constant time on the Rust side:
 * `==` on strings stops at the first differing character, which lets a forger learn a digest byte by byte.
 */
export function verifyTransaction(transaction: Transaction, expectedHex: string): boolean {
  const encoding = encodeTransaction(transaction);
  if (typeof expectedHex !== 'string' || !digestHex.test(expectedHex)) {
    throw invalidArg(`expectedHex must be 64 hex digits, got ${typeof expectedHex === 'string' ? `"${expectedHex}"` : describe(expectedHex)}`);
  }
  const expected = Buffer.from(expectedHex, 'hex');
  return callNative(() => native.sha256Matches(encoding, expected));
}
