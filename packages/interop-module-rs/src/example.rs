//! The example computation `create-interop-module add` writes into a new function
//! (`src/functions/<name>.rs`), so that every generated test passes at once and the shape to replace
//! is plain: FNV-1a (32-bit) over the arguments, then a result made from that checksum. The package's
//! `lib/reference/example.ts` is its TypeScript twin, and the two must stay equal bit for bit: the
//! arguments are folded as bytes (a string as UTF-8, a `u32` as 4 little-endian bytes, an `f64` as the
//! 8 little-endian bytes of its bits, a `bool` as one byte), and no float is ever formatted as text,
//! which is where JavaScript and Rust differ.

use crate::{CancelFlag, Error};

/// Bytes folded between two checkpoints: a fraction of a millisecond.
const SLICE_BYTES: usize = 64 * 1024;

/// FNV-1a, 32-bit.
#[derive(Clone, Copy, Debug)]
pub struct Fnv1a(u32);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0x811c_9dc5)
    }
}

impl Fnv1a {
    pub fn new() -> Self {
        Fnv1a::default()
    }

    fn fold(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u32::from(byte)).wrapping_mul(0x0100_0193);
        }
    }

    /// Folds `bytes`, reaching `cancel`'s checkpoint every 64 KiB: an abort or timeout stops it there.
    pub fn bytes(&mut self, bytes: &[u8], cancel: &CancelFlag) -> Result<(), Error> {
        for slice in bytes.chunks(SLICE_BYTES) {
            cancel.checkpoint()?;
            self.fold(slice);
        }
        Ok(())
    }

    pub fn str(&mut self, text: &str, cancel: &CancelFlag) -> Result<(), Error> {
        self.bytes(text.as_bytes(), cancel)
    }

    pub fn u32(&mut self, value: u32) {
        self.fold(&value.to_le_bytes());
    }

    pub fn f64(&mut self, value: f64) {
        self.fold(&value.to_bits().to_le_bytes());
    }

    pub fn bool(&mut self, value: bool) {
        self.fold(&[u8::from(value)]);
    }

    pub fn finish(&self) -> u32 {
        self.0
    }

    /// The checksum as a fraction in [0, 1): exact, as every u32 divided by 2³² is.
    pub fn fraction(&self) -> f64 {
        f64::from(self.0) / 4_294_967_296.0
    }

    /// The checksum as 4 big-endian bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.to_be_bytes().to_vec()
    }

    /// The checksum as 8 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        format!("{:08x}", self.0)
    }
}

/// `bytes` turned left by `by` places (modulo its length).
pub fn rotate_bytes(bytes: &[u8], by: u32) -> Vec<u8> {
    if bytes.is_empty() {
        return Vec::new();
    }
    let split = by as usize % bytes.len();
    [&bytes[split..], &bytes[..split]].concat()
}

/// `text` turned left by `by` characters (Unicode scalar values, modulo their count).
pub fn rotate_chars(text: &str, by: u32) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let split = by as usize % chars.len();
    chars[split..].iter().chain(&chars[..split]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_has_its_published_values() {
        let cancel = CancelFlag::new();
        assert_eq!(Fnv1a::new().finish(), 0x811c_9dc5);
        let mut fold = Fnv1a::new();
        fold.str("a", &cancel).unwrap();
        assert_eq!(fold.finish(), 0xe40c_292c);
        let mut fold = Fnv1a::new();
        fold.str("foobar", &cancel).unwrap();
        assert_eq!(fold.finish(), 0xbf9c_f968);
        assert_eq!(fold.to_hex(), "bf9cf968");
        assert_eq!(fold.to_bytes(), vec![0xbf, 0x9c, 0xf9, 0x68]);
    }

    #[test]
    fn scalars_fold_as_their_little_endian_bytes() {
        let mut by_value = Fnv1a::new();
        by_value.u32(0x0403_0201);
        by_value.f64(-0.0);
        by_value.bool(true);
        let mut by_bytes = Fnv1a::new();
        by_bytes.fold(&[1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0x80, 1]);
        assert_eq!(by_value.finish(), by_bytes.finish());
    }

    #[test]
    fn a_cancelled_fold_stops_with_err_aborted() {
        let cancel = CancelFlag::new();
        cancel.cancel();
        let error = Fnv1a::new().bytes(&[0; 10], &cancel).unwrap_err();
        assert_eq!(error.to_string(), "ERR_ABORTED: cancelled");
    }

    #[test]
    fn rotations_turn_left_and_wrap() {
        assert_eq!(rotate_bytes(&[1, 2, 3], 4), vec![2, 3, 1]);
        assert_eq!(rotate_bytes(&[], 4), Vec::<u8>::new());
        assert_eq!(rotate_chars("héllo✓", 2), "llo✓hé");
        assert_eq!(rotate_chars("", 9), "");
        assert_eq!(rotate_chars("ab\u{feff}", 2), "\u{feff}ab");
    }
}
