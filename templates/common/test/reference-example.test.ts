import { describe, expect, it } from 'vitest';
import { Fnv1a, rotateBytes, rotateChars } from '../lib/reference/example.js';

// The same values as the tests of its Rust twin, interop_module::example.
describe('the example computation of added functions', () => {
  it('FNV-1a has its published values', () => {
    expect(new Fnv1a().finish()).toBe(0x811c9dc5);
    const a = new Fnv1a();
    a.string('a');
    expect(a.finish()).toBe(0xe40c292c);
    const foobar = new Fnv1a();
    foobar.string('foobar');
    expect(foobar.finish()).toBe(0xbf9cf968);
    expect(foobar.toHex()).toBe('bf9cf968');
    expect(foobar.toBytes()).toEqual(Uint8Array.of(0xbf, 0x9c, 0xf9, 0x68));
    expect(foobar.fraction()).toBe(0xbf9cf968 / 2 ** 32);
  });

  it('scalars fold as their little-endian bytes', () => {
    const byValue = new Fnv1a();
    byValue.u32(0x04030201);
    byValue.f64(-0);
    byValue.bool(true);
    const byBytes = new Fnv1a();
    byBytes.bytes(Uint8Array.of(1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0x80, 1));
    expect(byValue.finish()).toBe(byBytes.finish());
  });

  it('a lone surrogate folds as U+FFFD, as it crosses into Rust', () => {
    const lone = new Fnv1a();
    lone.string('a\ud800');
    const replaced = new Fnv1a();
    replaced.string('a\ufffd');
    expect(lone.finish()).toBe(replaced.finish());
  });

  it('rotations turn left and wrap', () => {
    expect(rotateBytes(Uint8Array.of(1, 2, 3), 4)).toEqual(Uint8Array.of(2, 3, 1));
    expect(rotateBytes(new Uint8Array(0), 4)).toEqual(new Uint8Array(0));
    expect(rotateChars('héllo✓', 2)).toBe('llo✓hé');
    expect(rotateChars('', 9)).toBe('');
    expect(rotateChars('a😀\ud800', 1)).toBe('😀\ufffda');
    // U+FEFF is a character like any other, at the start too, as it is to Rust.
    expect(rotateChars('\ufeffab', 0)).toBe('\ufeffab');
    expect(rotateChars('ab\ufeff', 2)).toBe('\ufeffab');
  });
});
