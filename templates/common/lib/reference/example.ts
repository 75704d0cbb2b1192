/**
 * The example computation `create-interop-module add` writes into a new function, so that every
 * generated test passes at once and the shape to replace is plain: FNV-1a (32-bit) over the arguments,
 * then a result made from that checksum. The Rust twin is `interop_module::example` (in
 * vendor/interop-module for the Rust kinds), and the two must stay equal bit for bit: arguments are
 * folded as bytes (a string as UTF-8, a u32 as 4 little-endian bytes, an f64 as the 8 little-endian
 * bytes of its bits, a bool as one byte), and no float is ever formatted as text, which is where
 * JavaScript and Rust differ.
 */
const utf8 = new TextEncoder();
// A leading U+FEFF is text, not a byte-order mark: decoding must not drop it (Rust keeps it).
const fromUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** FNV-1a, 32-bit. */
export class Fnv1a {
  #hash = 0x811c9dc5;

  bytes(bytes: Uint8Array): void {
    let hash = this.#hash;
    for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    this.#hash = hash;
  }

  /** As UTF-8, where a lone surrogate is U+FFFD, as it is on its way to Rust. */
  string(text: string): void {
    this.bytes(utf8.encode(text));
  }

  u32(value: number): void {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value, true);
    this.bytes(bytes);
  }

  f64(value: number): void {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    this.bytes(bytes);
  }

  bool(value: boolean): void {
    this.bytes(Uint8Array.of(value ? 1 : 0));
  }

  finish(): number {
    return this.#hash;
  }

  /** The checksum as a fraction in [0, 1): exact, as every u32 divided by 2³² is. */
  fraction(): number {
    return this.#hash / 2 ** 32;
  }

  /** The checksum as 4 big-endian bytes. */
  toBytes(): Uint8Array {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, this.#hash, false);
    return bytes;
  }

  /** The checksum as 8 lowercase hex digits. */
  toHex(): string {
    return this.#hash.toString(16).padStart(8, '0');
  }
}

/** `bytes` turned left by `by` places (modulo its length). */
export function rotateBytes(bytes: Uint8Array, by: number): Uint8Array {
  const result = new Uint8Array(bytes.length);
  if (bytes.length === 0) return result;
  const split = by % bytes.length;
  result.set(bytes.subarray(split));
  result.set(bytes.subarray(0, split), bytes.length - split);
  return result;
}

/** `text` turned left by `by` characters (code points of its UTF-8 form, as Rust's chars, modulo their count). */
export function rotateChars(text: string, by: number): string {
  const chars = Array.from(fromUtf8.decode(utf8.encode(text)));
  if (chars.length === 0) return '';
  const split = by % chars.length;
  return chars.slice(split).join('') + chars.slice(0, split).join('');
}
