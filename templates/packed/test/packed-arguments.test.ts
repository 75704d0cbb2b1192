import { LIMITS } from '@interop-module/runtime';
import { describe, expect, it } from 'vitest';
import {
  boolField,
  f64Field,
  packFields,
  packFieldsSync,
  sized,
  stringField,
  u32Field,
  unpackBool,
  unpackF64,
  unpackString,
  unpackU32,
} from '../lib/packed-arguments.js';
import { randomData } from './random.js';

describe('packed arguments (what interop_module::packed::Fields reads)', () => {
  it('packs each type as the Rust side reads it, in order', () => {
    const text = stringField('hé');
    const body = packFieldsSync([...sized(text), u32Field(7), f64Field(-0.5), boolField(true), Uint8Array.of(9, 9)]);
    expect([...body]).toEqual([0, 0, 0, 3, 0x68, 0xc3, 0xa9, 0, 0, 0, 7, 0xbf, 0xe0, 0, 0, 0, 0, 0, 0, 1, 9, 9]);
  });

  it('copies a lone field up to LIMITS.copiedAtCallBytes before it returns, and passes a larger one on as it is', async () => {
    const small = randomData(LIMITS.copiedAtCallBytes);
    const original = small.slice();
    const packing = packFields([small], new AbortController().signal);
    small.fill(0);
    expect(await packing).toEqual(original);
    const large = randomData(2 * LIMITS.copiedAtCallBytes);
    expect(packFieldsSync([large])).toBe(large);
    expect(await packFields([large], new AbortController().signal)).toBe(large);
  });

  it('packs a large body a slice at a time into the same bytes, and stops when cancelled', async () => {
    const fields = [u32Field(1), randomData(LIMITS.copiedAtCallBytes), randomData(3 * 1024)];
    expect(await packFields(fields, new AbortController().signal)).toEqual(packFieldsSync(fields));
    const cancel = new AbortController();
    const packing = packFields(fields, cancel.signal);
    cancel.abort(new Error('stopped'));
    await expect(packing).rejects.toThrow('stopped');
  });

  it('reads results back, and refuses a result of the wrong size', () => {
    expect(unpackU32(u32Field(0xfffffffe))).toBe(0xfffffffe);
    expect(unpackF64(f64Field(Math.PI))).toBe(Math.PI);
    expect(unpackBool(boolField(true))).toBe(true);
    expect(unpackString(stringField('✓ ok'))).toBe('✓ ok');
    expect(unpackString(stringField('\ufeffkept'))).toBe('\ufeffkept');
    expect(() => unpackU32(Uint8Array.of(1))).toThrow(expect.objectContaining({ code: 'ERR_INTERNAL' }));
  });
});
