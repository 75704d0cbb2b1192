/**
 * The package's public API: the contract (hash, hashSync, deriveKey, close), exactly as a generated
 * napi package has it in lib/contract.ts, plus the payment APIs from the modules beside this one.
 * Arguments are checked in TypeScript so callers get typed errors before anything crosses into Rust.
 */
export * from './contract.js';
export { KEY_BYTES, NONCE_BYTES, TAG_BYTES, decrypt, encrypt } from './aead.js';
export { decryptPayment, encryptPayment } from './payments.js';
export {
  PUBLIC_KEY_BYTES,
  SECRET_KEY_BYTES,
  SIGNATURE_BYTES,
  generateSigningKeyPair,
  sign,
  verify,
  type SigningKeyPair,
} from './signatures.js';
export {
  MAX_ID_BYTES,
  TRANSACTION_DOMAIN,
  encodeTransaction,
  hashTransaction,
  verifyTransaction,
  type Transaction,
} from './transactions.js';
