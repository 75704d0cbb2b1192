/**
 * The arguments of a function added with `create-interop-module add`, packed into one body for the
 * native side (a port's request, a wasm input), which reads them with `interop_module::packed::Fields`:
 * in order, a u32 as 4 bytes and an f64 as the 8 bytes of its bits, both big-endian; a bool as one
 * byte; bytes and UTF-8 strings behind a 4-byte big-endian length (`sized`), except the last field
 * when it is one of them, which is the rest of the body. Results come back the same way. Browser-safe.
 */
import { InteropError, LIMITS, forEachSlice } from '@interop-module/runtime/wasm';

const utf8 = new TextEncoder();
// A leading U+FEFF is text, not a byte-order mark: decoding must not drop it (Rust keeps it).
const fromUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

function fixed(bytes: number, write: (view: DataView) => void): Uint8Array {
  const field = new Uint8Array(bytes);
  write(new DataView(field.buffer));
  return field;
}

export const u32Field = (value: number) => fixed(4, (view) => view.setUint32(0, value));
export const f64Field = (value: number) => fixed(8, (view) => view.setFloat64(0, value));
export const boolField = (value: boolean) => Uint8Array.of(value ? 1 : 0);
export const stringField = (value: string) => utf8.encode(value);
/** A bytes or string field that is not the last: its length, then itself. */
export const sized = (field: Uint8Array): Uint8Array[] => [u32Field(field.byteLength), field];

/** The fields as one body, at once: a lone field is the body as it is. */
export function packFieldsSync(fields: readonly Uint8Array[]): Uint8Array {
  if (fields.length === 1) return fields[0]!;
  const body = new Uint8Array(fields.reduce((total, field) => total + field.byteLength, 0));
  let at = 0;
  for (const field of fields) {
    body.set(field, at);
    at += field.byteLength;
  }
  return body;
}

/**
 * The fields as one body, taken as every call takes its bytes (the runtime's large-input.ts): up to
 * LIMITS.copiedAtCallBytes packed (a lone field copied) before this returns, since the call that
 * receives the body starts only once it is awaited, after the caller may have changed its buffers; a
 * larger lone field passed on as it is, for the call to read; a larger body packed a slice per
 * event-loop turn, reading the caller's buffers while the call runs. Rejects with `cancel`'s reason
 * once it fires.
 */
export async function packFields(fields: readonly Uint8Array[], cancel: AbortSignal): Promise<Uint8Array> {
  const total = fields.reduce((sum, field) => sum + field.byteLength, 0);
  if (total <= LIMITS.copiedAtCallBytes) return fields.length === 1 ? new Uint8Array(fields[0]!) : packFieldsSync(fields);
  if (fields.length === 1) return fields[0]!;
  const body = new Uint8Array(total);
  let at = 0;
  for (const field of fields) {
    const start = at;
    if (!(await forEachSlice(field, cancel, (slice, offset) => body.set(slice, start + offset)))) throw cancel.reason;
    at += field.byteLength;
  }
  return body;
}

function unpackFixed(reply: Uint8Array, bytes: number, type: string): DataView {
  if (reply.byteLength !== bytes) {
    throw new InteropError('ERR_INTERNAL', `a ${type} result is ${bytes} bytes, got ${reply.byteLength}`);
  }
  return new DataView(reply.buffer, reply.byteOffset, bytes);
}

export const unpackU32 = (reply: Uint8Array) => unpackFixed(reply, 4, 'u32').getUint32(0);
export const unpackF64 = (reply: Uint8Array) => unpackFixed(reply, 8, 'f64').getFloat64(0);
export const unpackBool = (reply: Uint8Array) => unpackFixed(reply, 1, 'bool').getUint8(0) === 1;
export const unpackString = (reply: Uint8Array) => fromUtf8.decode(reply);
