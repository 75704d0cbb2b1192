/**
 * Argument checks, run before anything is sent to the port: a bad request fails with ERR_INVALID_ARG
 * naming the argument, and never reaches the legacy SDK. Messages never contain a card number: a
 * card is shown as its last 4 digits, and any long run of digits elsewhere is masked the same way.
 */
import { InteropError } from '@interop-module/runtime';

/** The ISO 4217 codes this Node's ICU knows (EUR, USD, JPY, ...). */
const currencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
/** Printable ASCII without spaces: the SDK's reference format, and room for a UUID. */
const idempotencyKeyPattern = /^[\x21-\x7e]{1,64}$/;
const transactionIdPattern = /^TX\d{10}$/;
const cardPattern = /^\d{12,19}$/;
const digitRun = /\d{12,}/g;

/** `****1111`: how a card number appears in messages and events. */
export function maskCard(card: string): string {
  return `****${card.slice(-4)}`;
}

/** A value for an error message: quoted, shortened, and with anything card-like masked. */
function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value === 'number' ? String(value) : typeof value;
  return text.replace(digitRun, maskCard);
}

function invalid(message: string): InteropError {
  return new InteropError('ERR_INVALID_ARG', message);
}

export function checkRequest(request: unknown, operation: string): Record<string, unknown> {
  if (typeof request !== 'object' || request === null) {
    throw invalid(`${operation} takes a request object, got ${describe(request)}`);
  }
  return request as Record<string, unknown>;
}

export function checkAmount(amount: unknown): number {
  if (typeof amount === 'number' && Number.isSafeInteger(amount) && amount > 0) return amount;
  throw invalid(`amount must be a positive safe integer in minor units (1999 for 19.99), got ${describe(amount)}`);
}

export function checkCurrency(currency: unknown): string {
  if (typeof currency === 'string' && currencies.has(currency)) return currency;
  throw invalid(`currency must be an ISO 4217 code in capitals, such as EUR or USD, got ${describe(currency)}`);
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let fromRight = 0; fromRight < digits.length; fromRight++) {
    let digit = digits.charCodeAt(digits.length - 1 - fromRight) - 48;
    if (fromRight % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function checkCard(card: unknown): string {
  if (typeof card !== 'string') throw invalid(`card must be a string of 12 to 19 digits, got ${typeof card}`);
  if (!cardPattern.test(card)) {
    throw invalid(`card must be 12 to 19 digits with no spaces or dashes, got ${card.length} characters`);
  }
  if (!passesLuhn(card)) throw invalid(`card ${maskCard(card)} fails the Luhn check: a digit is wrong or missing`);
  return card;
}

export function checkIdempotencyKey(key: unknown): string {
  if (typeof key === 'string' && idempotencyKeyPattern.test(key)) return key;
  throw invalid(
    `idempotencyKey must be 1 to 64 printable ASCII characters without spaces (a UUID will do), got ${describe(key)}`,
  );
}

/** "TX" and 10 digits, as the SDK numbers its transactions. */
export function isTransactionId(value: unknown): value is string {
  return typeof value === 'string' && transactionIdPattern.test(value);
}

export function checkAuthorizationId(id: unknown): string {
  if (isTransactionId(id)) return id;
  throw invalid(`authorizationId must be the transactionId of an approved authorize, like TX0000000042, got ${describe(id)}`);
}

/** A whole number from `min` to `max`, or `fallback` when not given. */
export function checkCount(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw invalid(`${name} must be an integer from ${min} to ${max}, got ${describe(value)}`);
}

export function checkPath(name: string, value: unknown): string {
  if (typeof value === 'string' && value !== '' && !value.includes('\0')) return value;
  throw invalid(`${name} must be a file path, got ${describe(value)}`);
}
